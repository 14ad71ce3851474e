import { AppError } from '@chatbox/server-common';

/** Statements in flight at once; writes arriving meanwhile wait and go together in the next one. */
const MAX_IN_FLIGHT = 2;
export const MAX_BATCH = 256;
/**
 * Writes waiting beyond this are refused with `unavailable` (503, retry later): that many is
 * already about a second of work for a saturated api, and a queue without a bound turns overload
 * into memory growth and waits of many seconds for everybody.
 */
export const MAX_WAITING = 4096;

/** A write waiting in a batch, and how to answer its writer. */
export type Waiting<I, O> = { item: I; resolve: (result: O) => void; reject: (err: unknown) => void };

/**
 * Stores one batch: resolves when its statement is done (the next batch may start), answering
 * each writer through its Waiting (that part may go on after it resolves).
 */
export type StoreBatch<I, O> = (batch: Array<Waiting<I, O>>) => Promise<void>;

/**
 * Group commit (Nagle for writes): every write that arrives while earlier ones are being
 * stored, or within the batch window after the last statement started, waits and is stored with
 * the others in one statement and one commit. A quiet server stores each write at once; a busy
 * one makes fewer, larger round trips instead of queueing more of them. The send batcher and
 * the change batcher each run one.
 */
export class GroupCommit<I, O> {
  private queue: Array<Waiting<I, O>> = [];
  private inFlight = 0;
  private lastStart = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: StoreBatch<I, O>,
    private readonly windowMs: number,
    /** Why a write is refused when too many wait (the `unavailable` answer's message). */
    private readonly refusal: string,
  ) {}

  submit(item: I): Promise<O> {
    if (this.queue.length >= MAX_WAITING) return Promise.reject(AppError.unavailable(this.refusal));
    const done = new Promise<O>((resolve, reject) => this.queue.push({ item, resolve, reject }));
    this.pump();
    return done;
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      // right after a statement started, wait out the window and take more
      const wait = this.lastStart + this.windowMs - Date.now();
      if (wait > 0 && this.queue.length < MAX_BATCH) {
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
        return;
      }
      this.lastStart = Date.now();
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight += 1;
      void this.store(batch)
        .catch((err: unknown) => batch.forEach((w) => w.reject(err)))
        .finally(() => {
          this.inFlight -= 1;
          this.pump();
        });
    }
  }
}
