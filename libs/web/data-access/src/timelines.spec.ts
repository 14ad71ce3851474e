import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TMessage } from '@chatbox/contracts';
import { aMessage, person } from '@chatbox/contracts/testing';
import type { PendingMessage } from '@chatbox/web-util';
import { EMPTY_THREAD, withConfirmed, withLatestPage, withNewerPage, withOlderPage, withPending, withWindow } from './timelines';

const msg = (seq: number): TMessage =>
  aMessage({ id: `m${seq}`, seq, sender: person('u', 'U'), clientMsgId: `k${seq}`, createdAt: '2026-01-01T00:00:00Z' });
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

  test('a window around a search hit: older and newer pages extend it; live messages wait until it reaches the newest', () => {
    let t = withWindow(withLatestPage(EMPTY_THREAD, [msg(99), msg(100)]), [msg(9), msg(10), msg(11)], 100);
    assert.deepEqual([t.messages.map((m) => m.seq), t.hasOlder, t.hasNewer], [[9, 10, 11], true, true], 'what was held is replaced');
    t = withConfirmed(t, [msg(101), { ...msg(10), body: 'edited', eventSeq: 200 }]);
    assert.deepEqual(t.messages.map((m) => m.body), ['b9', 'edited', 'b11'], 'an edit of a held message applies; a new one waits');
    t = withNewerPage(t, [msg(12), msg(13)], 2);
    assert.equal(t.hasNewer, true, 'a full page: there may be more');
    t = withNewerPage(t, [msg(14)], 2);
    assert.deepEqual([t.messages.at(-1)?.seq, t.hasNewer], [14, false]);
    t = withConfirmed(t, [msg(15)]);
    assert.equal(t.messages.at(-1)?.seq, 15, 'at the newest: live messages come in again');
    assert.equal(withWindow(EMPTY_THREAD, [msg(4), msg(5)], 5).hasNewer, false, 'a window that holds the newest is the live timeline');
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
