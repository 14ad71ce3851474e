import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const ADVANCE = `local c = tonumber(redis.call('GET', KEYS[1]) or '0') if tonumber(ARGV[1]) > c then redis.call('SET', KEYS[1], ARGV[1]) end return 0`;

/**
 * Per conversation: the highest seq already fanned out, and a short lock so one job at a time
 * delivers that conversation. Together they keep delivery in seq order with several workers:
 * the job that holds the lock delivers everything from the cursor up to its own seq (earlier
 * seqs are committed, since seqs commit in order), and later jobs for covered seqs do nothing.
 */
export class DeliveryCursor {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly lockMs: number,
  ) {}

  private cursorKey = (conversationId: string) => `${this.prefix}:fanout:cursor:${conversationId}`;
  private lockKey = (conversationId: string) => `${this.prefix}:fanout:lock:${conversationId}`;

  /** Waits for the conversation's lock; returns the release function, or null on timeout. */
  async lock(conversationId: string, waitMs: number): Promise<(() => Promise<void>) | null> {
    const key = this.lockKey(conversationId);
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    let pause = 2;
    for (;;) {
      if ((await this.redis.set(key, token, 'PX', this.lockMs, 'NX')) === 'OK') {
        return async () => {
          await this.redis.eval(RELEASE, 1, key, token);
        };
      }
      if (Date.now() >= deadline) return null;
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 25);
    }
  }

  /** The highest delivered seq, or null when this conversation was never fanned out here. */
  async delivered(conversationId: string): Promise<number | null> {
    const value = await this.redis.get(this.cursorKey(conversationId));
    return value === null ? null : Number(value);
  }

  async advance(conversationId: string, seq: number): Promise<void> {
    await this.redis.eval(ADVANCE, 1, this.cursorKey(conversationId), String(seq));
  }
}
