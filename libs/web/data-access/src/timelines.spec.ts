import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TMessage } from '@chatbox/contracts';
import type { PendingMessage } from '@chatbox/web-util';
import { EMPTY_THREAD, withConfirmed, withLatestPage, withOlderPage, withPending } from './timelines';

const msg = (seq: number): TMessage => ({
  id: `m${seq}`,
  conversationId: 'c',
  seq,
  sender: { id: 'u', username: 'u', displayName: 'U' },
  body: `b${seq}`,
  clientMsgId: `k${seq}`,
  createdAt: '2026-01-01T00:00:00Z',
  eventSeq: seq, editedAt: null, deletedAt: null, threadRootId: null, replyCount: 0, lastReplyAt: null, reactions: [], mentions: { userIds: [], everyone: false }, attachments: [], anonymous: false,
});
const pending = (conversationId: string, clientMsgId: string): PendingMessage => ({ conversationId, clientMsgId, body: 'x', createdAt: '2026-01-01T00:00:00Z', status: 'sending' });

describe('timelines', () => {
  test('a thread not loaded yet ignores live messages; its first page loads it', () => {
    const t = withConfirmed(EMPTY_THREAD, [msg(9)]);
    assert.equal(t, EMPTY_THREAD);
    const loaded = withLatestPage(t, [msg(7), msg(8), msg(9)]);
    assert.deepEqual([loaded.loaded, loaded.hasOlder, loaded.messages.length], [true, true, 3]);
  });

  test('live and paged messages merge by seq, once each; the first seq ends the history', () => {
    let t = withLatestPage(EMPTY_THREAD, [msg(3), msg(4)]);
    t = withConfirmed(t, [msg(5), msg(4)]);
    t = withOlderPage(t, [msg(1), msg(2)]);
    assert.deepEqual(t.messages.map((m) => m.seq), [1, 2, 3, 4, 5]);
    assert.equal(t.hasOlder, false);
    assert.equal(withConfirmed(t, [msg(5)]), t, 'nothing new: the same thread');
  });

  test('the outbox is shared out per conversation; unchanged shares keep their identity', () => {
    const a = pending('a', '1');
    const threads = withPending({}, [a, pending('b', '2'), pending('a', '3')]);
    assert.deepEqual(threads.a.pending.map((p) => p.clientMsgId), ['1', '3']);
    assert.deepEqual(threads.b.pending.map((p) => p.clientMsgId), ['2']);
    const next = withPending(threads, [a, threads.a.pending[1]]);
    assert.equal(next.a, threads.a);
    assert.deepEqual(next.b.pending, []);
  });
});
