import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SessionCache } from '@chatbox/server-accounts';
import { loadConfig } from '@chatbox/server-config';
import { RedisService } from '@chatbox/server-redis';
import { eventually } from '@chatbox/server-testing';

/**
 * SessionCache across processes: a session forgotten on one api process (logout, sign-out
 * everywhere, role change) is forgotten on every other, through Redis. Two caches with their own
 * Redis connections play two processes.
 */
const base = loadConfig();
const config = { ...base, redisPrefix: `${base.redisPrefix}:session-cache-${randomUUID()}`, auth: { ...base.auth, sessionCacheMs: 60_000 } };
const redis = [new RedisService(config), new RedisService(config)];
const [one, two] = redis.map((r) => new SessionCache(config, r));
after(async () => {
  for (const c of [one, two]) c.onModuleDestroy();
  await Promise.all(redis.map((r) => r.onApplicationShutdown()));
});

const session = () => ({ id: randomUUID(), createdAt: new Date(), expiresAt: new Date(Date.now() + 600_000), role: 'member' as const, mustChangePassword: false });

test('a session or a user forgotten on one process is forgotten on the other', async () => {
  const user = randomUUID();
  const [a, b] = [session(), session()];
  // each remembers only once subscribed (else a forget could pass it by)
  await eventually(() => {
    for (const s of [a, b]) two.remember(s.id, user, s, two.epoch);
    return two.get(a.id, user) !== undefined;
  }, 'the second process remembering');
  await one.forgetSession(a.id);
  await eventually(() => two.get(a.id, user) === undefined, 'the logout reaching the other process');
  assert.ok(two.get(b.id, user), 'another session of the user stays');
  await one.forgetUser(user);
  await eventually(() => two.get(b.id, user) === undefined, 'the sign-out everywhere reaching the other process');
});
