import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** -2: covered (delivered up to seq already); -3: locked by another; else the cursor (-1: none). */
const CLAIM = `
local c = redis.call('GET', KEYS[1])
if c and tonumber(c) >= tonumber(ARGV[1]) then return -2 end
if redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3], 'NX') then return c and tonumber(c) or -1 end
return -3`;
/** The cursor (KEYS[1]) only moves forward, to ARGV[1]. */
const MOVE_FORWARD = `local c = tonumber(redis.call('GET', KEYS[1]) or '0') if tonumber(ARGV[1]) > c then redis.call('SET', KEYS[1], ARGV[1]) end`;
const ADVANCE = `${MOVE_FORWARD} return 0`;
/** Moves the cursor, then releases the lock (KEYS[2]) if this holder (ARGV[2]) still has it. */
const FINISH = `${MOVE_FORWARD} if redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

export type ConversationLock = {
  /** The highest seq delivered before the lock was taken, or null when never fanned out here. */
  delivered: number | null;
  /** Restarts the lock's time-to-live; false when it was lost (expired and taken). */
  extend: () => Promise<boolean>;
  /** Moves the cursor forward (never back) to `seq` and releases the lock, in one round trip. */
  finish: (seq: number) => Promise<void>;
  release: () => Promise<void>;
};

export type Claim = { covered: true } | ({ covered: false } & ConversationLock);

/**
 * Per conversation: the highest eventSeq (the change counter; "seq" below) already fanned out, and a short lock so one job at a time
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

  /**
   * Takes the conversation's lock to deliver up to `seq`, waiting while another job holds it;
   * says `covered` as soon as the cursor reaches `seq`. Null when the wait timed out.
   */
  async claim(conversationId: string, seq: number, waitMs: number): Promise<Claim | null> {
    const keys = [this.cursorKey(conversationId), this.lockKey(conversationId)];
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    let pause = 2;
    for (;;) {
      const result = Number(await this.redis.eval(CLAIM, 2, ...keys, String(seq), token, String(this.lockMs)));
      if (result === -2) return { covered: true };
      if (result !== -3) return { covered: false, ...this.handle(keys, token, result === -1 ? null : result) };
      if (Date.now() >= deadline) return null;
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 25);
    }
  }

  private handle([cursorKey, lockKey]: string[], token: string, delivered: number | null): ConversationLock {
    return {
      delivered,
      extend: async () => (await this.redis.eval(EXTEND, 1, lockKey, token, String(this.lockMs))) === 1,
      finish: async (seq) => {
        await this.redis.eval(FINISH, 2, cursorKey, lockKey, String(seq), token);
      },
      release: async () => {
        await this.redis.eval(RELEASE, 1, lockKey, token);
      },
    };
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
