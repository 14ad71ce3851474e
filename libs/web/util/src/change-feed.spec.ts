import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TMessage, TNotice } from '@chatbox/contracts';
import { aMessage, person } from '@chatbox/contracts/testing';
import { ChangeFeed, ChangeSource, FetchChanges } from './change-feed';

const msg = (id: string, eventSeq: number, body = `${id}@${eventSeq}`): TMessage =>
  aMessage({ id, seq: Number(id.slice(1)), eventSeq, sender: person('u1'), body, clientMsgId: id });

/** A server whose changes?after= answers from `state` (each message once, current), `limit` per page. */
function server(state: TMessage[], limit = 100) {
  const calls: number[] = [];
  const fetch: FetchChanges = async (after) => {
    calls.push(after);
    const items = state.filter((m) => m.eventSeq > after).sort((a, b) => a.eventSeq - b.eventSeq);
    const page = items.slice(0, limit);
    return { items: page, nextCursor: items.length > limit ? String(page.at(-1)!.eventSeq) : null };
  };
  return { fetch, calls };
}

const feedWith = (fetch: FetchChanges, cursor = 0) => {
  const log: Array<[number, ChangeSource]> = [];
  const feed = new ChangeFeed(fetch, { cursor, onApply: (m, source) => log.push([m.eventSeq, source]) });
  return { feed, log };
};
const bodies = (feed: ChangeFeed) => Object.fromEntries([...feed.messages].map(([id, m]) => [id, m.body]));
const settle = () => new Promise((r) => setImmediate(r));

describe('ChangeFeed', () => {
  test('applies consecutive eventSeqs as they come; later states of a message replace earlier ones', () => {
    const { fetch, calls } = server([]);
    const { feed, log } = feedWith(fetch);
    for (const m of [msg('m1', 1), msg('m2', 2), msg('m1', 3, 'edited')]) feed.receive(m);
    assert.deepEqual(bodies(feed), { m1: 'edited', m2: 'm2@2' });
    assert.deepEqual(log, [[1, 'live'], [2, 'live'], [3, 'live']]);
    assert.equal(feed.cursor, 3);
    assert.deepEqual(calls, []);
  });

  test('drops what it already reflects: a repeated event, or an older state after a newer one', () => {
    const { feed, log } = feedWith(server([]).fetch);
    for (const m of [msg('m1', 1), msg('m1', 2, 'new'), msg('m1', 1), msg('m1', 2, 'new')]) feed.receive(m);
    assert.equal(feed.messages.get('m1')!.body, 'new');
    assert.equal(feed.duplicates, 2);
    assert.deepEqual(log.map(([s]) => s), [1, 2]);
  });

  test('on a gap, asks changes?after= the cursor, applies the answer, then the held events, in order', async () => {
    // the server: m1 created (1), m2 created (2), m1 edited (3), m3 created (4); live lost 2 and 3
    const { fetch, calls } = server([msg('m2', 2), msg('m1', 3, 'edited'), msg('m3', 4)]);
    const { feed, log } = feedWith(fetch);
    feed.receive(msg('m1', 1));
    feed.receive(msg('m3', 4));
    feed.receive(msg('m4', 5)); // arrives while the catch-up is in flight: held back
    await settle();
    assert.deepEqual(calls, [1]);
    assert.equal(feed.gaps, 1);
    assert.deepEqual(log, [[1, 'live'], [2, 'catch-up'], [3, 'catch-up'], [4, 'catch-up'], [5, 'live']]);
    assert.deepEqual(bodies(feed), { m1: 'edited', m2: 'm2@2', m3: 'm3@4', m4: 'm4@5' });
    assert.equal(feed.duplicates, 1); // the held m3@4, already brought by the page
  });

  test('catchUp() (a reconnect) follows nextCursor; a message changed many times comes once', async () => {
    const state = [msg('m1', 9, 'fifth edit'), ...Array.from({ length: 5 }, (_, i) => msg(`m${i + 2}`, i + 10))];
    const { fetch, calls } = server(state, 2);
    const { feed, log } = feedWith(fetch, 4);
    await feed.catchUp();
    assert.deepEqual(calls, [4, 10, 12]);
    assert.deepEqual(log.map(([s]) => s), [9, 10, 11, 12, 13, 14]);
    assert.equal(feed.cursor, 14);
    assert.equal(feed.messages.get('m1')!.body, 'fifth edit');
  });

  test('concurrent catch-ups share one round', async () => {
    const { fetch, calls } = server([msg('m1', 1)]);
    const { feed } = feedWith(fetch);
    await Promise.all([feed.catchUp(), feed.catchUp()]);
    assert.deepEqual(calls, [0]);
    assert.equal(feed.catchUps, 1);
  });

  test('a failed catch-up keeps the held events; the next event tries again', async () => {
    let fail = true;
    const { fetch } = server([msg('m1', 1), msg('m2', 2)]);
    const { feed, log } = feedWith(async (after) => {
      if (fail) throw new Error('offline');
      return fetch(after);
    });
    feed.receive(msg('m2', 2));
    await settle();
    assert.equal(feed.cursor, 0);
    fail = false;
    feed.receive(msg('m3', 3));
    await settle();
    await settle();
    assert.deepEqual(log.map(([s]) => s), [1, 2, 3]);
  });

  test('remember() keeps a newer state from a history page without moving the cursor', () => {
    const { feed } = feedWith(server([]).fetch);
    feed.remember(msg('m1', 5, 'from history'));
    feed.receive(msg('m1', 1, 'created'));
    assert.equal(feed.messages.get('m1')!.body, 'from history');
    assert.equal(feed.cursor, 1);
  });

  test('membership notices are changes of the same stream: applied in order live and from a page, to onNotice', async () => {
    const notice = (eventSeq: number): TNotice => ({
      id: `n${eventSeq}`, conversationId: 'c', eventSeq, afterSeq: 1, kind: 'joined', users: [], createdAt: '2026-01-01T00:00:00.000Z',
      actor: { id: 'u2', username: 'u2', displayName: 'u2' },
    });
    const calls: number[] = [];
    const applied: string[] = [];
    // the server: m1 (1), n2 joined (2), m2 (3), n4 (4); live brings 1, then 4 (2 and 3 lost)
    const feed = new ChangeFeed(
      async (after) => {
        calls.push(after);
        return { items: [msg('m2', 3)].filter((m) => m.eventSeq > after), notices: [notice(2), notice(4)].filter((n) => n.eventSeq > after), nextCursor: null };
      },
      { onApply: (m, source) => applied.push(`${m.id}@${m.eventSeq} ${source}`), onNotice: (n, source) => applied.push(`${n.id} ${source}`) },
    );
    feed.receive(msg('m1', 1));
    feed.receiveNotice(notice(4));
    await settle();
    assert.deepEqual(calls, [1]);
    assert.deepEqual(applied, ['m1@1 live', 'n2 catch-up', 'm2@3 catch-up', 'n4 catch-up']);
    feed.receiveNotice(notice(4)); // a repeat
    feed.receiveNotice(notice(5));
    assert.deepEqual([feed.cursor, feed.duplicates, applied.at(-1)], [5, 2, 'n5 live']);
  });
});
