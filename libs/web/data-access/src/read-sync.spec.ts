import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ReadSync } from './read-sync';
import { SendPacer } from './send-pacer';

/** A ReadSync on a fake clock whose sends are answered by hand. */
function harness() {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void }> = [];
  const sends: Array<{ id: string; seq: number; answer: (ok: boolean) => void }> = [];
  const sync = new ReadSync((id, seq) => new Promise((answer) => sends.push({ id, seq, answer })), {
    pacer: new SendPacer(3, 1000),
    retryMs: 2000,
    now: () => now,
    setTimer: (fn, ms) => {
      const t = { at: now + ms, fn };
      timers.push(t);
      return t;
    },
    clearTimer: (t) => timers.splice(timers.indexOf(t as (typeof timers)[number]), 1),
  });
  const advance = async (ms: number) => {
    now += ms;
    for (const t of timers.filter((x) => x.at <= now)) {
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
    await new Promise((r) => setImmediate(r));
  };
  const answer = async (ok: boolean) => {
    sends.at(-1)!.answer(ok);
    await new Promise((r) => setImmediate(r));
  };
  return { sync, sends, advance, answer };
}

describe('ReadSync', () => {
  test('one read in flight; what was read meanwhile goes right after it, as one read', async () => {
    const h = harness();
    h.sync.request('c', 5);
    h.sync.request('c', 6);
    h.sync.request('c', 9);
    assert.deepEqual(h.sends.map((s) => s.seq), [5]);
    await h.answer(true);
    assert.deepEqual(h.sends.map((s) => s.seq), [5, 9]);
    await h.answer(true);
    await h.advance(5000);
    assert.equal(h.sends.length, 2, 'nothing more to send');
  });

  test('past the pace (3 per second here) a read waits its turn, and the newest pointer goes', async () => {
    const h = harness();
    for (const id of ['a', 'b', 'c']) {
      h.sync.request(id, 1);
      await h.answer(true);
    }
    h.sync.request('d', 1);
    h.sync.request('d', 2);
    assert.equal(h.sends.length, 3);
    await h.advance(1000);
    assert.deepEqual(h.sends.map((s) => [s.id, s.seq]).at(-1), ['d', 2]);
  });

  test('a read that did not reach the server is sent again', async () => {
    const h = harness();
    h.sync.request('c', 3);
    await h.answer(false);
    await h.advance(2000);
    assert.deepEqual(h.sends.map((s) => s.seq), [3, 3]);
    await h.answer(true);
    assert.equal(h.sync.pointer('c'), 3);
  });

  test('the pointer is the highest seen, whatever order the answers come in: a stale list cannot move it back', async () => {
    const h = harness();
    h.sync.request('c', 10);
    await h.answer(true);
    h.sync.learnStored('c', 4); // a conversation list asked for before the read
    assert.equal(h.sync.pointer('c'), 10);
    h.sync.request('c', 8);
    assert.equal(h.sends.length, 1, 'an older pointer is never sent');
  });

  test('what the server already holds is not sent again (another tab read it)', async () => {
    const h = harness();
    h.sync.learnStored('c', 7);
    h.sync.request('c', 7);
    assert.equal(h.sends.length, 0);
  });

  test('stop cancels the pending retries', async () => {
    const h = harness();
    h.sync.request('c', 1);
    await h.answer(false);
    h.sync.stop();
    await h.advance(10_000);
    assert.equal(h.sends.length, 1);
  });
});
