import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TMessage } from '@chatbox/contracts';
import { aMessage, person } from '@chatbox/contracts/testing';
import { DeliveryTracker } from './delivery-tracker';

const msg = (clientMsgId: string, senderId: string, seq = 1): TMessage =>
  aMessage({ id: `id-${clientMsgId}`, seq, sender: person(senderId), body: 'b', clientMsgId, createdAt: new Date(0).toISOString() });

test('counts deliveries, duplicates and what never arrived', () => {
  const t = new DeliveryTracker();
  t.expect('m1', 's', ['r1', 'r2', 'r3']);
  t.acked('m1', msg('m1', 's'));
  assert.equal(t.received('r1', msg('m1', 's')), true);
  assert.equal(t.received('r1', msg('m1', 's')), true); // again: a duplicate, not a delivery
  assert.equal(t.received('s', msg('m1', 's')), true); // the sender's own echo is no delivery
  t.received('r2', msg('m1', 's'));
  const s = t.summary();
  assert.deepEqual({ sent: s.sent, expected: s.expected, delivered: s.delivered, lost: s.lost, duplicates: s.duplicates }, { sent: 1, expected: 3, delivered: 2, lost: 1, duplicates: 1 });
});

test('a message with the same clientMsgId from someone else is not ours', () => {
  const t = new DeliveryTracker();
  t.expect('m1', 's', ['r1']);
  assert.equal(t.received('r1', msg('m1', 'other')), false);
  assert.equal(t.summary().delivered, 0);
});

test('error acks, timeouts and unanswered sends are told apart and not expected to arrive', () => {
  const t = new DeliveryTracker();
  t.expect('a', 's', ['r']);
  t.expect('b', 's', ['r']);
  t.expect('c', 's', ['r']);
  t.failed('a', 'unavailable: down');
  t.failed('b', 'ack timeout');
  const s = t.summary();
  assert.deepEqual({ sent: s.sent, failed: s.failed, timedOut: s.timedOut, unanswered: s.unanswered, expected: s.expected, lost: s.lost }, { sent: 0, failed: 1, timedOut: 1, unanswered: 1, expected: 0, lost: 0 });
});

test('settle returns as soon as everything arrived', async () => {
  const t = new DeliveryTracker();
  t.expect('m', 's', ['r']);
  setTimeout(() => {
    t.acked('m', msg('m', 's'));
    t.received('r', msg('m', 's'));
  }, 20);
  const started = Date.now();
  await t.settle(5000);
  assert.ok(Date.now() - started < 2000);
  assert.equal(t.summary().lost, 0);
});
