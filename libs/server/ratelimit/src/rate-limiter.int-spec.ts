import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '@chatbox/server-config';
import { AppError } from '@chatbox/server-common';
import { RedisService } from '@chatbox/server-redis';
import { RateLimiter } from './rate-limiter';

const config = (redisUrl: string) =>
  ({
    redisUrl,
    redisPrefix: `${process.env.REDIS_PREFIX ?? 'chatbox-test'}-limiter-spec`,
    rateLimits: { send_user: { limit: 2, windowSeconds: 60 }, member_add_user: { limit: 10, windowSeconds: 60 } },
  }) as unknown as AppConfig;

const live = new RedisService(config(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'));
// nothing listens on port 1: every command fails as during a Redis restart
const down = new RedisService(config('redis://127.0.0.1:1'));
down.client.on('error', () => undefined);
after(async () => {
  await live.onApplicationShutdown();
  await down.onApplicationShutdown();
});

test('counts per subject and refuses past the limit with rate_limited', async () => {
  const limiter = new RateLimiter(live, config(''));
  const subject = randomUUID();
  await limiter.consume('send_user', subject);
  await limiter.consume('send_user', subject);
  await assert.rejects(limiter.consume('send_user', subject), (err: AppError) => err.code === 'rate_limited');
  await limiter.consume('send_user', randomUUID()); // someone else is not limited
});

test('a weighted hit counts its cost; one that would pass the limit is refused and gives its cost back', async () => {
  const limiter = new RateLimiter(live, config(''));
  const subject = randomUUID();
  assert.equal((await limiter.hit('member_add_user', subject, 7)).allowed, true);
  const refused = await limiter.hit('member_add_user', subject, 4);
  assert.equal(refused.allowed, false);
  assert.ok(refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 60);
  assert.equal((await limiter.hit('member_add_user', subject, 3)).allowed, true); // 10 of 10
  assert.equal((await limiter.hit('member_add_user', subject, 1)).allowed, false);
});

test('while Redis is unreachable it answers unavailable (retry), neither letting through nor refusing', async () => {
  const limiter = new RateLimiter(down, config(''));
  await assert.rejects(limiter.consume('send_user', randomUUID()), (err: AppError) => err instanceof AppError && err.code === 'unavailable');
});
