import type { Redis } from 'ioredis';

/**
 * At most one signal per key and window across every api process (a Redis key with a
 * time-to-live is the turn). `latest` mode keeps the newest value offered during the window and
 * sends it when the window ends (receipts: the last pointer must arrive); otherwise what comes
 * during the window is dropped (typing: the next keystroke says it again).
 */
export class SignalThrottle<T> {
  private readonly waiting = new Map<string, { value: T; timer?: NodeJS.Timeout }>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly windowMs: number,
    private readonly send: (key: string, value: T) => Promise<void>,
    private readonly latest: boolean,
  ) {}

  /** Sends now when the key's window is free; otherwise keeps it for later or drops it. Never rejects. */
  async offer(key: string, value: T): Promise<boolean> {
    const held = this.waiting.get(key);
    if (held) {
      held.value = value; // a timer already waits for the window's end
      return false;
    }
    if (await this.takeTurn(key)) {
      await this.send(key, value).catch(() => undefined);
      return true;
    }
    if (this.latest) this.wait(key, value);
    return false;
  }

  /** Frees the key's window at once: the next offer is sent, whatever the time. Never rejects. */
  async release(key: string): Promise<void> {
    const held = this.waiting.get(key);
    clearTimeout(held?.timer);
    this.waiting.delete(key);
    await this.redis.del(`${this.prefix}:${key}`).catch(() => undefined);
  }

  private async takeTurn(key: string): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}:${key}`, '1', 'PX', this.windowMs, 'NX')) === 'OK';
  }

  private wait(key: string, value: T): void {
    const entry: { value: T; timer?: NodeJS.Timeout } = { value };
    this.waiting.set(key, entry);
    const retry = async () => {
      const ttl = await this.redis.pttl(`${this.prefix}:${key}`).catch(() => this.windowMs);
      if (ttl > 0) {
        entry.timer = setTimeout(() => void retry(), ttl);
        return;
      }
      this.waiting.delete(key);
      await this.offer(key, entry.value);
    };
    entry.timer = setTimeout(() => void retry(), this.windowMs);
  }

  /** Drops what waits (shutdown). */
  close(): void {
    for (const entry of this.waiting.values()) clearTimeout(entry.timer);
    this.waiting.clear();
  }
}
