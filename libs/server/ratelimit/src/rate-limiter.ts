import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, RateLimitName, RateLimitRule } from '@chatbox/server-config';
import { answerWithin, AppError, keyDigest, RateLimitedError } from '@chatbox/server-common';
import { RedisService } from '@chatbox/server-redis';

/**
 * Fixed window counter, atomically: the first hit of a window sets its expiry. A hit costs
 * ARGV[2]; one that would pass the limit (ARGV[3]) is refused and gives its cost back, so a
 * refused request for 100 additions does not use up the rest of the window. Returns the count
 * with this hit and the milliseconds left in the window.
 */
const HIT_SCRIPT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
if count > tonumber(ARGV[3]) then redis.call('DECRBY', KEYS[1], ARGV[2]) end
return { count, ttl }
`;

/**
 * How long a hit waits for Redis's count. ioredis holds a command until its connection answers:
 * one that carries nothing (a flaky network, no reset) would hold every request behind a limit
 * until TCP gives up; past this the request is answered `unavailable`, as when Redis is down.
 */
export const COUNT_WAIT_MS = 2_000;

class NotCountedInTime extends Error {}

export type RateLimitVerdict = { allowed: boolean; remaining: number; retryAfterSeconds: number };

/**
 * Counts hits per (limit, subject) in Redis, so a limit holds across every api process.
 * Subjects (IPs, username keys, user ids) are hashed: keys stay short and carry no personal data.
 */
@Injectable()
export class RateLimiter {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.prefix = `${config.redisPrefix}:rl`;
  }

  rule(name: RateLimitName): RateLimitRule {
    return this.config.rateLimits[name];
  }

  /**
   * Counts `cost` hits (e.g. the people one request adds to a group) at once.
   * Throws `unavailable` (retryable) while Redis cannot count: neither waved through nor refused.
   */
  async hit(name: RateLimitName, subject: string, cost = 1): Promise<RateLimitVerdict> {
    const rule = this.rule(name);
    const key = `${this.prefix}:${name}:${keyDigest(subject)}`;
    let count: number;
    let ttl: number;
    try {
      const counted = this.redis.client.eval(HIT_SCRIPT, 1, key, rule.windowSeconds * 1000, cost, rule.limit) as Promise<[number, number]>;
      [count, ttl] = await answerWithin(counted, COUNT_WAIT_MS, () => new NotCountedInTime());
    } catch (err) {
      // a connection that answers nothing would refuse every request until TCP gives up
      if (err instanceof NotCountedInTime) this.redis.reconnectStalled(`no count within ${COUNT_WAIT_MS} ms`);
      throw AppError.unavailable();
    }
    return {
      allowed: count <= rule.limit,
      remaining: Math.max(0, rule.limit - count),
      retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)),
    };
  }

  /** Counts a hit and throws rate_limited when the subject is over the limit. */
  async consume(name: RateLimitName, subject: string): Promise<void> {
    const verdict = await this.hit(name, subject);
    if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds);
  }
}

