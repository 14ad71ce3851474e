/**
 * A sliding-window pace: at most `limit` sends in any `windowMs`. The server counts sends per
 * user in fixed windows (README "Rate limits": SEND_USER 60 per 10 s); a client that never
 * exceeds the limit in any sliding window of at least that length never exceeds it in any fixed
 * one, so a typing burst goes out at the pace the server takes instead of being refused.
 */
export class SendPacer {
  private readonly sentAt: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Milliseconds to wait before the next send may go (0: now). */
  delay(now: number): number {
    this.forget(now);
    if (this.sentAt.length < this.limit) return 0;
    return this.sentAt[0] + this.windowMs - now;
  }

  record(now: number): void {
    this.forget(now);
    this.sentAt.push(now);
  }

  private forget(now: number): void {
    while (this.sentAt.length > 0 && this.sentAt[0] + this.windowMs <= now) this.sentAt.shift();
  }
}
