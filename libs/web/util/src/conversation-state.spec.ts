import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TConversation, TMessage } from '@chatbox/contracts';
import { aConversation, aMessage, person } from '@chatbox/contracts/testing';
import { applyIncoming, applyRead, sortByActivity } from './conversation-state';

const conv = (id: string, lastSeq = 0, readSeq = 0, lastAt?: string): TConversation =>
  aConversation({ id, lastSeq, readSeq, lastMessage: lastAt ? message(lastSeq, 'x', lastAt) : null });
function message(seq: number, senderId: string, createdAt = '2026-01-01T00:00:00Z'): TMessage {
  return aMessage({ id: `m${seq}`, seq, sender: person(senderId), body: 'x', clientMsgId: `k${seq}`, createdAt });
}

describe('mention counts', () => {
  const mentioning = (seq: number, sender: string, mentions: TMessage['mentions']) => ({ ...message(seq, sender), mentions });
  test('a new unread message mentioning me or everyone raises it once; others\' and updates do not', () => {
    const opts = { selfId: 'me', viewing: false };
    let c = applyIncoming(conv('c', 3, 3), mentioning(4, 'peer', { userIds: ['me'], everyone: false }), opts);
    c = applyIncoming(c, mentioning(4, 'peer', { userIds: ['me'], everyone: false }), opts);
    c = applyIncoming(c, mentioning(5, 'peer', { userIds: [], everyone: true }), opts);
    c = applyIncoming(c, mentioning(6, 'peer', { userIds: ['other'], everyone: false }), opts);
    assert.equal(c.mentions, 2);
    // sending is reading: my own message leaves nothing unread
    assert.equal(applyIncoming(c, mentioning(7, 'me', { userIds: ['me'], everyone: true }), opts).mentions, 0);
  });

  test('reading everything clears it; reading part of the way keeps the server\'s count', () => {
    const c = { ...conv('c', 10, 2), mentions: 3 };
    assert.equal(applyRead(c, 5).mentions, 3);
    assert.equal(applyRead(c, 10).mentions, 0);
    assert.equal(applyIncoming(c, mentioning(11, 'peer', { userIds: ['me'], everyone: false }), { selfId: 'me', viewing: true }).mentions, 0);
  });
});

describe('applyIncoming', () => {
  test("someone else's message raises unread when not viewing", () => {
    const c = applyIncoming(conv('c', 3, 3), message(4, 'peer'), { selfId: 'me', viewing: false });
    assert.equal(c.unread, 1);
    assert.equal(c.lastSeq, 4);
    assert.equal(c.lastMessage?.seq, 4);
  });

  test('own messages and the viewed conversation stay read', () => {
    assert.equal(applyIncoming(conv('c', 3, 3), message(4, 'me'), { selfId: 'me', viewing: false }).unread, 0);
    assert.equal(applyIncoming(conv('c', 3, 1), message(4, 'peer'), { selfId: 'me', viewing: true }).unread, 0);
  });

  test('an older message arriving late does not replace lastMessage', () => {
    const c = applyIncoming(conv('c', 5, 5, '2026-01-01T00:05:00Z'), message(4, 'peer'), { selfId: 'me', viewing: false });
    assert.equal(c.lastMessage?.seq, 5);
    assert.equal(c.lastSeq, 5);
  });
});

describe('applyRead', () => {
  test('moves readSeq forward only', () => {
    const c = conv('c', 10, 4);
    assert.equal(applyRead(c, 8).unread, 2);
    assert.equal(applyRead(c, 2), c);
  });
});

describe('sortByActivity', () => {
  test('most recent first, empty conversations last in their given order', () => {
    const sorted = sortByActivity([
      conv('empty1'),
      conv('old', 1, 1, '2026-01-01T00:00:00Z'),
      conv('empty2'),
      conv('new', 1, 1, '2026-01-02T00:00:00Z'),
    ]);
    assert.deepEqual(sorted.map((c) => c.id), ['new', 'old', 'empty1', 'empty2']);
  });
});
