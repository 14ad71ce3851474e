import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { AppError, keyDigest, RateLimitedError } from '@chatbox/server-common';
import { RedisService } from '@chatbox/server-redis';
import { usernameSubject } from './rate-limit-subject';

/** How long an address the user logged in from stays exempt from the per-username ceiling. */
const KNOWN_ADDRESS_TTL_MS = 30 * 24 * 3600 * 1000;

/**
 * Counts an attempt before the password is checked (so parallel guesses cannot overshoot),
 * unless (username, address) is at its limit, or the username is at its ceiling and the address
 * is not one the user logged in from. KEYS: pair counter, username counter, known addresses.
 * ARGV: pair limit, pair window ms, username limit, username window ms, address digest.
 * Returns {0, pair count, username count}, or {1 or 2 (which limit), ms left}.
 */
const BEGIN = `
local function refused(which, key, window)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then ttl = tonumber(window) end
  return { which, ttl }
end
if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[1]) then return refused(1, KEYS[1], ARGV[2]) end
if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[3]) and redis.call('SISMEMBER', KEYS[3], ARGV[5]) == 0 then
  return refused(2, KEYS[2], ARGV[4])
end
local function count(key, window)
  local n = redis.call('INCR', key)
  if n == 1 or redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, window) end
  return n
end
return { 0, count(KEYS[1], ARGV[2]), count(KEYS[2], ARGV[4]) }`;

/** Takes back an attempt that did not fail (a window that ended meanwhile is left alone). */
const REFUND = `
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end`;

/** The Redis keys of one username's failed-login counters (the unlock command finds them here). */
export function loginFailureKeys(redisPrefix: string, username: string) {
  const name = keyDigest(usernameSubject(username));
  return {
    perUser: `${redisPrefix}:rl:login_user:${name}`,
    perAddress: (address: string) => `${redisPrefix}:rl:login_user_ip:${name}:${keyDigest(address)}`,
    perAddressPattern: `${redisPrefix}:rl:login_user_ip:${name}:*`,
    knownAddresses: `${redisPrefix}:rl:login_known:${name}`,
  };
}

/** Deletes every failed-login counter of a username (all addresses); returns how many existed. */
export async function clearLoginFailures(redis: Redis, redisPrefix: string, username: string): Promise<number> {
  const keys = loginFailureKeys(redisPrefix, username);
  const found = [keys.perUser];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', keys.perAddressPattern, 'COUNT', 1000);
    found.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return redis.del(...found);
}

/**
 * Failed logins, counted per (username, client address) (`login_user_ip`) and per username from
 * anywhere (`login_user`, a higher ceiling that bounds guessing from many addresses). Successful
 * logins are not counted, and addresses the user logged in from are exempt from the ceiling, so
 * nobody elsewhere can lock the owner out. Unknown usernames count exactly like known ones.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);

  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs login() unless a limit refuses it (429); only an `unauthorized` outcome stays counted. */
  async attempt<T>(username: string, address: string, login: () => Promise<T>): Promise<T> {
    const keys = loginFailureKeys(this.config.redisPrefix, username);
    const counters = [keys.perAddress(address), keys.perUser];
    const { login_user_ip: pair, login_user: ceiling } = this.config.rateLimits;
    let verdict: number[];
    try {
      verdict = (await this.redis.client.eval(
        BEGIN, 3, ...counters, keys.knownAddresses,
        pair.limit, pair.windowSeconds * 1000, ceiling.limit, ceiling.windowSeconds * 1000, keyDigest(address),
      )) as number[];
    } catch {
      throw AppError.unavailable(); // neither waved through nor refused while Redis cannot count
    }
    if (verdict[0] !== 0) throw new RateLimitedError(Math.max(1, Math.ceil(verdict[1]! / 1000)));
    let result: T;
    try {
      result = await login();
    } catch (err) {
      if (err instanceof AppError && err.code === 'unauthorized') this.noteLockout(username, address, verdict[1]!, verdict[2]!);
      else await this.refund(counters);
      throw err;
    }
    await this.refund(counters, () =>
      this.redis.client.multi().sadd(keys.knownAddresses, keyDigest(address)).pexpire(keys.knownAddresses, KNOWN_ADDRESS_TTL_MS).exec(),
    );
    return result;
  }

  private async refund(counters: string[], andThen?: () => Promise<unknown>): Promise<void> {
    try {
      await this.redis.client.eval(REFUND, counters.length, ...counters);
      await andThen?.();
    } catch (err) {
      // the login itself is settled; a counter left one too high expires with its window
      this.logger.warn(`login counters not updated: ${String(err)}`);
    }
  }

  /** One line when a failure reaches a limit (not one per refused attempt: no log flooding). */
  private noteLockout(username: string, address: string, pairCount: number, userCount: number): void {
    const { login_user_ip: pair, login_user: ceiling } = this.config.rateLimits;
    const name = JSON.stringify(username.slice(0, 64));
    const unlock = `npm run unlock-login -- ${name} clears it`;
    if (pairCount === pair.limit) {
      this.logger.warn(`login of ${name} from ${address} refused for up to ${pair.windowSeconds} s after ${pair.limit} failed attempts (${unlock})`);
    }
    if (userCount === ceiling.limit) {
      this.logger.warn(`login of ${name} refused for up to ${ceiling.windowSeconds} s from addresses it never logged in from, after ${ceiling.limit} failed attempts from anywhere (${unlock})`);
    }
  }
}
