import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Claim, DeliveryCursor } from './delivery-cursor';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const KEY_PREFIX = `${process.env.REDIS_PREFIX ?? 'chatbox-test'}-cursor-spec`;
const cursor = new DeliveryCursor(redis, KEY_PREFIX, 500);
after(() => redis.disconnect());

function held(claim: Claim | null): Extract<Claim, { covered: false }> {
  assert.ok(claim && !claim.covered, 'expected to hold the lock');
  return claim;
}

test('one holder at a time per conversation; the next gets the lock once it is released', async () => {
  const conversation = randomUUID();
  const first = held(await cursor.claim(conversation, 1, 100));
  assert.equal(first.delivered, null);
  assert.equal(await cursor.claim(conversation, 1, 50), null);
  held(await cursor.claim(randomUUID(), 1, 50)); // other conversations are not blocked
  const waiting = cursor.claim(conversation, 1, 2_000);
  await first.release();
  held(await waiting);
});

test('finishing moves the cursor and frees the lock; a waiter for a covered seq stops waiting', async () => {
  const conversation = randomUUID();
  const first = held(await cursor.claim(conversation, 3, 100));
  const coveredWaiter = cursor.claim(conversation, 2, 2_000);
  const laterWaiter = cursor.claim(conversation, 5, 2_000);
  await first.finish(3);
  assert.deepEqual(await coveredWaiter, { covered: true });
  const later = held(await laterWaiter);
  assert.equal(later.delivered, 3, 'the next holder starts after what was delivered');
  await later.finish(5);
  assert.equal(await cursor.delivered(conversation), 5);
});

test('a lock whose holder died expires after its time-to-live', async () => {
  const conversation = randomUUID();
  held(await cursor.claim(conversation, 1, 100)); // never released
  const started = Date.now();
  held(await cursor.claim(conversation, 1, 2_000));
  assert.ok(Date.now() - started >= 300);
});

test('a holder extends its lock; after losing it, extend says so and finish still moves the cursor only forward', async () => {
  // A 2 s lock and 1.2 s sleeps: "still held" must hold even when a busy machine fires timers
  // late (with a 500 ms lock and 300 ms sleeps, 200 ms of lateness failed it in CI).
  const longLock = new DeliveryCursor(redis, KEY_PREFIX, 2_000);
  const conversation = randomUUID();
  const first = held(await longLock.claim(conversation, 4, 100));
  await new Promise((r) => setTimeout(r, 1_200));
  assert.equal(await first.extend(), true);
  await new Promise((r) => setTimeout(r, 1_200));
  assert.equal(await longLock.claim(conversation, 4, 50), null, 'still held 2.4 s after taking a 2 s lock');
  const second = held(await longLock.claim(conversation, 4, 3_000)); // once it expires, another takes it
  assert.equal(await first.extend(), false);
  await first.finish(4);
  assert.equal(await longLock.claim(conversation, 6, 50), null, "the old holder's finish left the new holder's lock alone");
  await second.finish(2);
  assert.equal(await longLock.delivered(conversation), 4);
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
