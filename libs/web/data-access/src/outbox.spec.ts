import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TMessage } from '@chatbox/contracts';
import { aMessage, person } from '@chatbox/contracts/testing';
import type { PendingMessage } from '@chatbox/web-util';
import { ApiError } from './api-client';
import { KeyValueStorage, StoredJson } from './browser-storage';
import { Outbox, OutboxOptions } from './outbox';
import { SendPacer } from './send-pacer';

const memoryStorage = (): KeyValueStorage & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
};

const stored = (p: PendingMessage, seq: number): TMessage =>
  aMessage({ id: `m-${p.clientMsgId}`, conversationId: p.conversationId, seq, sender: person('me', 'Me'), body: p.body, clientMsgId: p.clientMsgId, createdAt: p.createdAt });

/**
 * An outbox on a fake clock: pauses advance the clock at once; `answer` decides each send's
 * fate (default: stored). Resolves `idle` when the queue has nothing left to send.
 */
function harness(opts: { answer?: (p: PendingMessage, n: number) => Error | null; pacer?: SendPacer; storage?: KeyValueStorage } = {}) {
  let now = 0;
  let seq = 0;
  let ids = 0;
  const attempts: Array<{ at: number; body: string }> = [];
  const sent: TMessage[] = [];
  const pauses: number[] = [];
  const options: OutboxOptions = {
    send: async (p) => {
      attempts.push({ at: now, body: p.body });
      const err = opts.answer?.(p, attempts.filter((a) => a.body === p.body).length);
      if (err) throw err;
      return stored(p, ++seq);
    },
    onSent: (m) => sent.push(m),
    onChange: () => undefined,
    saved: opts.storage ? new StoredJson<PendingMessage[]>(opts.storage, 'outbox') : null,
    pacer: opts.pacer ?? new SendPacer(1000, 1000),
    now: () => now,
    sleep: async (ms) => {
      pauses.push(ms);
      now += ms;
    },
    newId: () => `id-${++ids}`,
  };
  const outbox = new Outbox(options);
  const settled = async () => {
    for (let i = 0; i < 1000 && outbox.all().some((p) => p.status === 'sending'); i++) await new Promise((r) => setImmediate(r));
  };
  return { outbox, attempts, sent, pauses, settled, clock: () => now };
}

const limited = (seconds: number) => new ApiError(429, 'rate_limited', 'Too many requests', {}, seconds);

describe('Outbox', () => {
  test('sends one at a time in typing order; nothing is left pending', async () => {
    const h = harness();
    for (let i = 1; i <= 5; i++) h.outbox.add('c', `m${i}`);
    await h.settled();
    assert.deepEqual(h.sent.map((m) => m.body), ['m1', 'm2', 'm3', 'm4', 'm5']);
    assert.deepEqual(h.outbox.all(), []);
  });

  test('paces a burst to the limit: 75 typed at once go out 60, then 15 once the window has passed', async () => {
    const h = harness({ pacer: new SendPacer(60, 11_000) });
    for (let i = 1; i <= 75; i++) h.outbox.add('c', `m${i}`);
    await h.settled();
    assert.equal(h.sent.length, 75);
    assert.deepEqual(h.sent.map((m) => m.body), Array.from({ length: 75 }, (_, i) => `m${i + 1}`));
    assert.equal(h.attempts.filter((a) => a.at < 11_000).length, 60);
    assert.ok(h.clock() >= 11_000);
  });

  test('a rate_limited answer waits the seconds it names, then sends the same message again, order kept', async () => {
    const h = harness({ answer: (p, n) => (p.body === 'b' && n === 1 ? limited(3) : null) });
    for (const body of ['a', 'b', 'c']) h.outbox.add('c', body);
    await h.settled();
    assert.deepEqual(h.attempts.map((a) => a.body), ['a', 'b', 'b', 'c']);
    assert.deepEqual(h.pauses, [3000]);
    assert.deepEqual(h.sent.map((m) => m.body), ['a', 'b', 'c']);
  });

  test('unavailable (or no answer) is retried after 1, 2, 4, 8, 16 s, then left to the user as failed', async () => {
    const h = harness({ answer: (p) => (p.body === 'x' ? new Error('operation has timed out') : null) });
    h.outbox.add('c', 'x');
    h.outbox.add('c', 'y');
    await h.settled();
    assert.deepEqual(h.pauses, [1000, 2000, 4000, 8000, 16000]);
    assert.deepEqual(h.sent.map((m) => m.body), ['y']);
    assert.deepEqual(h.outbox.all().map((p) => [p.body, p.status, p.error]), [['x', 'failed', 'the server did not answer']]);
  });

  test('offline: failed at once with a plain reason; Retry sends it with the same clientMsgId', async () => {
    let offline = true;
    const ids: string[] = [];
    const h = harness({
      answer: (p) => {
        ids.push(p.clientMsgId);
        return offline ? new ApiError(0, 'network', 'Cannot reach the server') : null;
      },
    });
    const p = h.outbox.add('c', 'hello');
    await h.settled();
    assert.deepEqual(h.outbox.all().map((x) => [x.status, x.error]), [['failed', 'no connection']]);
    offline = false;
    h.outbox.retry(p.clientMsgId);
    await h.settled();
    assert.deepEqual(h.sent.map((m) => m.body), ['hello']);
    assert.deepEqual(ids, [p.clientMsgId, p.clientMsgId]);
  });

  test('a reload keeps what was not sent: a new outbox on the same storage sends it, in order', async () => {
    const storage = memoryStorage();
    const first = harness({ storage, answer: () => new ApiError(0, 'network', 'offline') });
    first.outbox.add('c', 'one');
    first.outbox.add('d', 'two');
    await first.settled();
    first.outbox.stop();
    const second = harness({ storage });
    assert.deepEqual(second.outbox.all().map((p) => p.body), ['one', 'two']);
    second.outbox.retry(second.outbox.all()[0].clientMsgId);
    second.outbox.retry(second.outbox.all()[1].clientMsgId);
    await second.settled();
    assert.deepEqual(second.sent.map((m) => m.body), ['one', 'two']);
    assert.equal(storage.data.size, 0, 'nothing left saved once all is sent');
  });

  test('unsent messages saved while sending are sent by the next page on start', async () => {
    const storage = memoryStorage();
    new StoredJson<PendingMessage[]>(storage, 'outbox').write([
      { clientMsgId: 'k1', conversationId: 'c', body: 'left over', createdAt: '2026-01-01T00:00:00Z', status: 'sending' },
    ]);
    const h = harness({ storage });
    h.outbox.start();
    await h.settled();
    assert.deepEqual(h.sent.map((m) => m.clientMsgId), ['k1']);
  });

  test('confirm (an event carried it) and discard take messages out; clear forgets the saved copy', () => {
    const storage = memoryStorage();
    const h = harness({ storage });
    h.outbox.stop(); // nothing goes out: only the bookkeeping is looked at
    const a = h.outbox.add('c', 'a');
    const b = h.outbox.add('c', 'b');
    h.outbox.add('d', 'c');
    h.outbox.confirm([stored(a, 1), { ...stored(b, 2), sender: { id: 'other', username: 'o', displayName: 'O' } }], 'me');
    assert.deepEqual(h.outbox.all().map((p) => p.body), ['b', 'c'], "only this user's confirmations settle");
    h.outbox.discard(b.clientMsgId);
    h.outbox.discardConversation('d');
    assert.deepEqual(h.outbox.all(), []);
    h.outbox.add('c', 'later');
    h.outbox.clear();
    assert.equal(storage.data.size, 0);
  });
});
