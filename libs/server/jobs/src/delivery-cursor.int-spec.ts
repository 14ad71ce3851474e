import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { DeliveryCursor } from './delivery-cursor';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const cursor = new DeliveryCursor(redis, `${process.env.REDIS_PREFIX ?? 'chatbox-test'}-cursor-spec`, 500);
after(() => redis.disconnect());

test('one holder at a time per conversation; the next gets the lock once it is released', async () => {
  const conversation = randomUUID();
  const release = await cursor.lock(conversation, 100);
  assert.ok(release);
  assert.equal(await cursor.lock(conversation, 50), null);
  assert.ok(await cursor.lock(randomUUID(), 50), 'other conversations are not blocked');
  const waiting = cursor.lock(conversation, 2_000);
  await release();
  assert.ok(await waiting);
});

test('a lock whose holder died expires after its time-to-live', async () => {
  const conversation = randomUUID();
  assert.ok(await cursor.lock(conversation, 100)); // never released
  const started = Date.now();
  assert.ok(await cursor.lock(conversation, 2_000));
  assert.ok(Date.now() - started >= 300);
});

test('the delivered seq only moves forward', async () => {
  const conversation = randomUUID();
  assert.equal(await cursor.delivered(conversation), null);
  await cursor.advance(conversation, 5);
  await cursor.advance(conversation, 3);
  assert.equal(await cursor.delivered(conversation), 5);
  await cursor.advance(conversation, 9);
  assert.equal(await cursor.delivered(conversation), 9);
});
