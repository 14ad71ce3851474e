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
 * The window only pays where it fills a batch: waiting it out is worth it once the writes
 * arriving in one window are at least this many (1,600/s with a 40 ms window, see batchWorthy).
 */
export const USEFUL_BATCH = 64;
/** Arrivals are counted in buckets of this many milliseconds (the current and the last one). */
const RATE_BUCKET_MS = 100;

/**
 * Group commit (Nagle for writes), adaptive when asked (options.usefulBatch): every write that arrives while earlier ones are
 * being stored waits and is stored with the others in one statement and one commit (at most
 * MAX_IN_FLIGHT statements at once), so batches grow with the load by themselves. On top of
 * that, only while writes arrive fast enough to fill a batch of USEFUL_BATCH within the window
 * (1,600/s for 40 ms with USEFUL_BATCH), a write that comes within the window after the last statement started
 * waits for it: at that rate fewer, larger statements, jobs and frames are what keeps up. Below
 * it nothing waits for a timer: a send at 100-800/s is stored at once (with a fixed window
 * every send at those rates waited up to 40 ms: p50 ~30 ms). The send batcher and the change
 * batcher each run one.
 */
export class GroupCommit<I, O> {
  private queue: Array<Waiting<I, O>> = [];
  private inFlight = 0;
  private lastStart = 0;
  private timer?: NodeJS.Timeout;
  /** Arrivals in the current rate bucket and in the one before it. */
  private arrivals = { bucket: 0, current: 0, previous: 0 };

  constructor(
    private readonly store: StoreBatch<I, O>,
    private readonly windowMs: number,
    /** Why a write is refused when too many wait (the `unavailable` answer's message). */
    private readonly refusal: string,
    /**
     * Adaptive: wait out the window only while writes arrive fast enough to fill a batch of this
     * many in it (USEFUL_BATCH for sends). Without it every write within the window waits, as
     * before the eighth session.
     */
    private readonly options: { usefulBatch?: number } = {},
  ) {}

  submit(item: I): Promise<O> {
    if (this.queue.length >= MAX_WAITING) return Promise.reject(AppError.unavailable(this.refusal));
    const done = new Promise<O>((resolve, reject) => this.queue.push({ item, resolve, reject }));
    this.countArrival();
    this.pump();
    return done;
  }

  /**
   * Whether writes arrive fast enough that waiting out the window fills a useful batch. The rate
   * is over the last RATE_BUCKET_MS, sliding: the current bucket plus the part of the previous
   * one still inside it (a burst that straddles two buckets counts whole).
   */
  batchWorthy(now = Date.now()): boolean {
    if (this.options.usefulBatch === undefined) return true;
    this.roll(now);
    const gone = (now % RATE_BUCKET_MS) / RATE_BUCKET_MS;
    const perSecond = ((this.arrivals.current + this.arrivals.previous * (1 - gone)) * 1000) / RATE_BUCKET_MS;
    return (perSecond * this.windowMs) / 1000 >= this.options.usefulBatch;
  }

  private countArrival(now = Date.now()): void {
    this.roll(now);
    this.arrivals.current += 1;
  }

  private roll(now: number): void {
    const bucket = Math.floor(now / RATE_BUCKET_MS);
    if (bucket === this.arrivals.bucket) return;
    this.arrivals = { bucket, current: 0, previous: bucket === this.arrivals.bucket + 1 ? this.arrivals.current : 0 };
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      // right after a statement started, wait out the window and take more
      const wait = this.lastStart + this.windowMs - Date.now();
      if (wait > 0 && this.queue.length < MAX_BATCH && this.batchWorthy()) {
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
