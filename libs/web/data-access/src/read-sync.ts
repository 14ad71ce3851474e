import { SendPacer } from './send-pacer';

/** Sends a read pointer; resolves false when the server did not store it. */
export type SendRead = (conversationId: string, seq: number) => Promise<boolean>;

/**
 * Reads share the socket's event limit (README: SOCKET_EVENTS 100 per 10 s) with sends (paced
 * to 60 per 11 s): 25 reads per 10 s leaves room. Within it a read goes at once, so a tab closed
 * right after a message arrived has still told the server.
 */
export const DEFAULT_READ_PACE = { limit: 25, windowMs: 10_000 };

export type ReadSyncOptions = {
  pacer?: SendPacer;
  /** After a read that did not reach the server. */
  retryMs?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
};

/**
 * Gets the read pointers the user reached to the server, whatever happens to the answers on the
 * way: it remembers per conversation the highest seq wanted and the highest known stored (acks,
 * `read` events, conversation lists: a pointer only moves forward, so the highest seen wins,
 * never the latest to arrive), and sends until the stored one has caught up. One read in flight
 * per conversation (what is read meanwhile goes in the next), paced inside the socket's event
 * limit; a failed one is sent again after `retryMs`.
 */
export class ReadSync {
  private readonly wanted = new Map<string, number>();
  private readonly stored = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  private readonly timers = new Map<string, unknown>();
  private stopped = false;
  private readonly pacer: SendPacer;
  private readonly retryMs: number;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(
    private readonly send: SendRead,
    opts: ReadSyncOptions = {},
  ) {
    this.pacer = opts.pacer ?? new SendPacer(DEFAULT_READ_PACE.limit, DEFAULT_READ_PACE.windowMs);
    this.retryMs = opts.retryMs ?? 2000;
    this.now = opts.now ?? Date.now;
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  }

  /** The user has read up to `seq`. */
  request(conversationId: string, seq: number): void {
    if (seq <= Math.max(this.wanted.get(conversationId) ?? 0, this.storedOf(conversationId))) return;
    this.wanted.set(conversationId, seq);
    this.flush(conversationId);
  }

  /** The server holds at least `readSeq` (from an ack, a `read` event or a conversation list). */
  learnStored(conversationId: string, readSeq: number): void {
    if (readSeq > this.storedOf(conversationId)) this.stored.set(conversationId, readSeq);
  }

  /** What the server is known to hold, or what is on its way there: the pointer to show. */
  pointer(conversationId: string): number {
    return Math.max(this.wanted.get(conversationId) ?? 0, this.storedOf(conversationId));
  }

  /** Sends again whatever is still not stored (after a reconnect). */
  resume(): void {
    for (const id of this.wanted.keys()) this.flush(id);
  }

  forget(conversationId: string): void {
    this.wanted.delete(conversationId);
    this.stored.delete(conversationId);
    const timer = this.timers.get(conversationId);
    if (timer !== undefined) this.clearTimer(timer);
    this.timers.delete(conversationId);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) this.clearTimer(timer);
    this.timers.clear();
  }

  private storedOf(id: string): number {
    return this.stored.get(id) ?? 0;
  }

  private flush(id: string): void {
    if (this.stopped || this.inFlight.has(id) || this.timers.has(id)) return;
    const seq = this.wanted.get(id) ?? 0;
    if (seq <= this.storedOf(id)) return;
    const wait = this.pacer.delay(this.now());
    if (wait > 0) return this.later(id, wait);
    this.inFlight.add(id);
    this.pacer.record(this.now());
    void this.send(id, seq).then(
      (ok) => this.settled(id, seq, ok),
      () => this.settled(id, seq, false),
    );
  }

  private settled(id: string, seq: number, ok: boolean): void {
    this.inFlight.delete(id);
    if (ok) this.learnStored(id, seq);
    if (!ok) this.later(id, this.retryMs);
    else this.flush(id);
  }

  private later(id: string, ms: number): void {
    if (this.stopped || this.timers.has(id)) return;
    this.timers.set(
      id,
      this.setTimer(() => {
        this.timers.delete(id);
        this.flush(id);
      }, ms),
    );
  }
}
