import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TMessage } from '@chatbox/contracts';
import { aMessage, person } from '@chatbox/contracts/testing';
import { namesLine, seenBy, withoutReader, withReceipt, withReceiptList } from './receipts';

const msg = (seq: number, sender: string): TMessage => aMessage({ id: `m${seq}`, seq, sender: person(sender), body: '' });

test('receipts only move forward', () => {
  let r = withReceiptList({}, 'c', [{ userId: 'bob', readSeq: 3 }]);
  r = withReceipt(r, 'c', 'bob', 2);
  assert.equal(r.c.bob, 3);
  assert.equal(withReceipt(r, 'c', 'bob', 5).c.bob, 5);
});

test('"Seen by" goes under the newest message others have read, naming everyone at or past it', () => {
  const messages = [msg(1, 'me'), msg(2, 'me'), msg(3, 'me')];
  assert.deepEqual(seenBy(messages, { bob: 2, carol: 2, me: 3, dan: 1 }, 'me'), { messageId: 'm2', userIds: ['bob', 'carol'] });
  assert.equal(seenBy(messages, { me: 3 }, 'me'), null, 'my own pointer is no news');
  assert.deepEqual(seenBy([msg(1, 'me'), msg(2, 'bob')], { bob: 2 }, 'me'), { messageId: 'm1', userIds: ['bob'] }, 'nobody "sees" their own message');
});

test('names line', () => {
  assert.equal(namesLine(['Alice', 'Bob']), 'Alice, Bob');
  assert.equal(namesLine(['Alice', 'Bob', 'C', 'D', 'E']), 'Alice, Bob +3');
});

test('a member who left is no longer among the readers', () => {
  const all = { c: { u1: 3, u2: 4 } };
  assert.deepEqual(withoutReader(all, 'c', 'u2'), { c: { u1: 3 } });
  assert.equal(withoutReader(all, 'c', 'u9'), all);
});
