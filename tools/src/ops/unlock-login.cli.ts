import { Redis } from 'ioredis';
import { clearLoginFailures } from '@chatbox/server-ratelimit';
import { ensureServices } from '../services/ensure-services';

/**
 * `npm run unlock-login -- <username>`: clears the failed-login counters of a username (from
 * every address), so its owner can log in again at once. Uses REDIS_URL and REDIS_PREFIX as the
 * api does (default: the local Redis `npm start` uses, prefix `chatbox`).
 */
async function main(): Promise<void> {
  const username = process.argv[2];
  if (!username) throw new Error('usage: npm run unlock-login -- <username>');
  const redisUrl = process.env.REDIS_URL ?? (await ensureServices()).redisUrl;
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const cleared = await clearLoginFailures(redis, process.env.REDIS_PREFIX ?? 'chatbox', username);
    console.log(`cleared ${cleared} failed-login counter(s) of ${username}`);
  } finally {
    redis.disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
