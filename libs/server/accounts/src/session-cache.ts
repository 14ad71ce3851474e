import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { RedisService } from '@chatbox/server-redis';
import type { LiveSession } from './session.repository';

/** Sessions remembered at most; the oldest go first. */
const MAX_SESSIONS = 50_000;

type Entry = { userId: string; session: LiveSession; until: number };

/**
 * Live sessions as this process last found them, for SESSION_CACHE_MS. Every authenticated
 * request checks its session: one query each, most of the api's queries when REST changes come
 * at hundreds a second, and the answer almost never changes. What ends a session or changes
 * what it says about its user (logout, password change, sign-out everywhere, deactivation, a role
 * change) calls forgetSession / forgetUser, which drops it here and, through Redis, on every
 * other process before the call returns; an entry ends with its session's own expiry too. Only
 * a change made behind the api's back (SQL) is seen up to SESSION_CACHE_MS late.
 *
 * A check that was running while a session was forgotten is not remembered (the epoch moved):
 * its answer may predate the change.
 */
@Injectable()
export class SessionCache implements OnModuleDestroy {
  private readonly logger = new Logger(SessionCache.name);
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly channel: string;
  private readonly subscriber?: Redis;
  private publisher?: Redis;
  /** Moves on every forget, here or on another process. */
  private epochNow = 0;
  private subscribed = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Optional() redis?: RedisService) {
    this.ttlMs = config.auth.sessionCacheMs;
    this.channel = `${config.redisPrefix}:sessions:forget`;
    if (this.ttlMs > 0 && redis) {
      this.publisher = redis.client;
      this.subscriber = redis.connect('session-cache');
      this.subscriber.on('message', (_channel: string, message: string) => this.drop(message));
      // until subscribed, nothing is remembered: a forget published meanwhile would be missed
      this.subscriber.subscribe(this.channel).then(
        () => (this.subscribed = true),
        (err: unknown) => this.logger.warn(`session cache stays off, no subscription: ${String(err)}`),
      );
    }
  }

  /** Take it before the check whose answer you will remember(). */
  get epoch(): number {
    return this.epochNow;
  }

  get(sessionId: string, userId: string): LiveSession | undefined {
    const entry = this.entries.get(sessionId);
    if (!entry) return undefined;
    const now = Date.now();
    if (entry.userId !== userId || entry.until <= now || entry.session.expiresAt.getTime() <= now) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return entry.session;
  }

  /** Remembers a check made since `epoch`, unless something was forgotten meanwhile. */
  remember(sessionId: string, userId: string, session: LiveSession, epoch: number): void {
    if (!this.active || epoch !== this.epochNow) return;
    this.entries.delete(sessionId);
    this.entries.set(sessionId, { userId, session, until: Date.now() + this.ttlMs });
    if (this.entries.size > MAX_SESSIONS) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** The session ended or changed: no process trusts what it remembers of it. */
  forgetSession(sessionId: string): Promise<void> {
    return this.forget(`s:${sessionId}`);
  }

  /** Every session of the user ended, or what they say about the user changed (role, password). */
  forgetUser(userId: string): Promise<void> {
    return this.forget(`u:${userId}`);
  }

  onModuleDestroy(): void {
    this.subscribed = false;
    this.subscriber?.disconnect();
  }

  /** Without Redis (a unit test), this process is the only one: remembering is still safe. */
  private get active(): boolean {
    return this.ttlMs > 0 && (this.subscribed || (!this.subscriber && !this.publisher));
  }

  private async forget(what: string): Promise<void> {
    this.drop(what);
    if (!this.publisher) return;
    try {
      await this.publisher.publish(this.channel, what);
    } catch (err) {
      // the others keep what they remember for at most SESSION_CACHE_MS
      this.logger.warn(`could not tell the other processes to forget ${what}: ${String(err)}`);
    }
  }

  private drop(what: string): void {
    this.epochNow++;
    const id = what.slice(2);
    if (what.startsWith('s:')) {
      this.entries.delete(id);
    } else if (what.startsWith('u:')) {
      for (const [sessionId, entry] of this.entries) if (entry.userId === id) this.entries.delete(sessionId);
    }
  }
}
