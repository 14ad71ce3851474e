import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '@chatbox/server-config';
import { RedisService } from '@chatbox/server-redis';
import { MASS_SETTLE, PresenceStore } from './presence.store';

// a prefix of its own: other test files count presence on the shared Redis
const config = { ...loadConfig(), redisPrefix: `presence-test-${process.pid}-${Date.now()}` };
let redis: RedisService;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(() => {
  redis = new RedisService(config);
});
after(async () => {
  const keys = await redis.client.keys(`${config.redisPrefix}:*`);
  if (keys.length) await redis.client.del(...keys);
  redis.client.disconnect();
});

test('first socket anywhere shows a user online, the last one closing offline, once each', async () => {
  const [a, b] = [new PresenceStore(redis, config), new PresenceStore(redis, config)];
  const user = randomUUID();
  assert.equal(await a.socketConnected(user), true);
  assert.equal(await b.socketConnected(user), false, 'a second tab on another process changes nothing shown');
  assert.equal(await a.socketDisconnected(user), false);
  assert.equal(await a.isOnline(user), true);
  assert.equal(await b.socketDisconnected(user), true);
  assert.equal(await b.isOnline(user), false);
});

test('an api restart: its users stay shown online through the grace; only those not back are then shown offline', async () => {
  const [old, fresh] = [new PresenceStore(redis, config), new PresenceStore(redis, config)];
  const [returning, gone] = [randomUUID(), randomUUID()];
  await old.socketConnected(returning);
  await old.socketConnected(gone);
  const orphaned = await old.releaseThisProcess();
  assert.deepEqual(orphaned.sort(), [returning, gone].sort());
  await old.scheduleSettle(orphaned, 300);
  assert.deepEqual(await fresh.onlineAmong([returning, gone]), new Set([returning, gone]), 'nobody is shown offline by the stop');
  assert.equal(await fresh.socketConnected(returning), false, 'reconnecting is no change to announce');
  assert.deepEqual(await fresh.settleDue(300), [], 'nothing is due before the grace ends');
  await pause(400);
  assert.deepEqual(await fresh.settleDue(300), [gone], 'after the grace: only who did not come back');
  assert.deepEqual(await fresh.onlineAmong([returning, gone]), new Set([returning]));
  assert.deepEqual(await fresh.settleDue(300), [], 'settled once');
});

test('a crashed process: its counts are reaped once its heartbeat lapses, its users settled after the grace', async () => {
  const [dead, alive] = [new PresenceStore(redis, config), new PresenceStore(redis, config)];
  const user = randomUUID();
  await dead.socketConnected(user);
  // no heartbeat from `dead`: it counts as gone at once
  await alive.heartbeat();
  const orphaned = await alive.reapDeadProcesses();
  assert.ok(orphaned.includes(user));
  assert.equal(await alive.isOnline(user), true);
  await alive.scheduleSettle(orphaned, 0);
  assert.ok((await alive.settleDue(0)).includes(user));
  assert.equal(await alive.isOnline(user), false);
});

test('a whole process of users due at once: those still away get a second grace, then only who is still away is shown offline', async () => {
  const [old, fresh] = [new PresenceStore(redis, config), new PresenceStore(redis, config)];
  const users = Array.from({ length: MASS_SETTLE }, () => randomUUID());
  for (const user of users) await old.socketConnected(user);
  await old.scheduleSettle(await old.releaseThisProcess(), 0);
  const [back, slow, gone] = [users.slice(0, 60), users.slice(60, 90), users.slice(90)];
  for (const user of back) await fresh.socketConnected(user);
  assert.deepEqual(await fresh.settleDue(300), [], 'still reconnecting: nobody is shown offline yet');
  assert.equal((await fresh.onlineAmong(users)).size, MASS_SETTLE);
  for (const user of slow) await fresh.socketConnected(user);
  await pause(400);
  assert.deepEqual((await fresh.settleDue(300)).sort(), [...gone].sort(), 'after the second grace: only who never came back');
  assert.deepEqual(await fresh.onlineAmong(users), new Set([...back, ...slow]));
});

test('a whole process of users that stays away is shown offline after the second grace, not kept online', async () => {
  const [old, fresh] = [new PresenceStore(redis, config), new PresenceStore(redis, config)];
  const users = Array.from({ length: MASS_SETTLE }, () => randomUUID());
  for (const user of users) await old.socketConnected(user);
  await old.scheduleSettle(await old.releaseThisProcess(), 0);
  assert.deepEqual(await fresh.settleDue(200), []);
  await pause(300);
  assert.equal((await fresh.settleDue(200)).length, MASS_SETTLE);
  assert.equal((await fresh.onlineAmong(users)).size, 0);
});

test('a few users due at once are settled at the end of their grace, as before', async () => {
  const [old, fresh] = [new PresenceStore(redis, config), new PresenceStore(redis, config)];
  const users = Array.from({ length: MASS_SETTLE - 1 }, () => randomUUID());
  for (const user of users) await old.socketConnected(user);
  await old.scheduleSettle(await old.releaseThisProcess(), 0);
  assert.equal((await fresh.settleDue(300)).length, MASS_SETTLE - 1);
});
