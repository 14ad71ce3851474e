import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppConfig } from '@chatbox/server-config';
import { AppError } from '@chatbox/server-common';
import type { StoredMessage } from './fanout-scheduler.port';
import type { MessageRepository, NewMessage } from './message.repository';
import type { AfterCommit } from './after-commit';
import { MAX_WAITING, USEFUL_BATCH } from './group-commit';
import { SendBatcher } from './send-batcher';

/** A store whose statements finish when the test says so; it records each statement's batch. */
function harness(windowMs: number) {
  const statements: NewMessage[][] = [];
  const finishers: Array<() => void> = [];
  const repository = {
    insertBatch: (batch: NewMessage[]) =>
      new Promise((resolve) => {
        statements.push(batch);
        const stored = batch.map((m, i) => [m.ord, { membersVersion: 1, message: { ...m, id: m.clientMsgId, seq: i + 1 } }] as const);
        finishers.push(() => resolve({ stored: new Map(stored as unknown as Array<[number, StoredMessage]>), roots: [] }) as never);
      }),
  } as unknown as MessageRepository;
  const afterCommit = { fanOut: async () => undefined } as unknown as AfterCommit;
  const config = { fanout: { sendBatchWindowMs: windowMs } } as AppConfig;
  const batcher = new SendBatcher(repository, afterCommit, config);
  const send = (n: number) => batcher.submit({ conversationId: 'c', senderId: 's', clientMsgId: `m${n}`, body: 'hi', mentions: { names: '', everyone: false }, anonymous: false, authorKey: 'k' });
  const finishAll = () => finishers.splice(0).forEach((finish) => finish());
  return { statements, send, finishAll };
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a send on a quiet server is stored at once, in a statement of its own', async () => {
  const { statements, send, finishAll } = harness(50);
  const sent = send(1);
  assert.deepEqual(statements.map((s) => s.length), [1]);
  finishAll();
  assert.equal((await sent)?.message.clientMsgId, 'm1');
});

test('at a low rate no send waits for the window: each goes as soon as a statement slot is free', async () => {
  const { statements, send, finishAll } = harness(50);
  const first = send(1);
  finishAll();
  await first;
  const rest = [2, 3, 4, 5].map(send);
  // two statements in flight at most; the others wait for a slot, not for a timer
  assert.deepEqual(statements.map((s) => s.map((m) => m.clientMsgId)), [['m1'], ['m2'], ['m3']]);
  finishAll();
  await pause(1);
  assert.deepEqual(statements.map((s) => s.map((m) => m.clientMsgId)), [['m1'], ['m2'], ['m3'], ['m4', 'm5']]);
  finishAll();
  assert.deepEqual((await Promise.all(rest)).map((s) => s?.message.clientMsgId), ['m2', 'm3', 'm4', 'm5']);
});

test(`under a burst (${USEFUL_BATCH} sends or more in a window) sends within the window after a statement started wait and go together`, async () => {
  // a window long enough that a loaded machine's pauses cannot end it before the check (CI once took 50 ms over `pause(1)`)
  const { statements, send, finishAll } = harness(500);
  const burst = Array.from({ length: 2 * USEFUL_BATCH }, (_, i) => send(i));
  assert.equal(statements.length, 2, 'two statements in flight, the rest waiting');
  finishAll();
  await pause(1);
  assert.equal(statements.length, 2, 'the rest waits for the window, though slots are free');
  await pause(600);
  assert.deepEqual(statements.map((s) => s.length), [1, 1, 2 * USEFUL_BATCH - 2]);
  finishAll();
  assert.equal((await Promise.all(burst)).length, 2 * USEFUL_BATCH);
});

test(`past ${MAX_WAITING} waiting sends, the next is refused as unavailable and is not queued`, async () => {
  const { statements, send, finishAll } = harness(0);
  // two statements in flight (the most there are), everything after them waits
  const waiting = Array.from({ length: MAX_WAITING + 2 }, (_, i) => send(i));
  assert.equal(statements.length, 2);
  await assert.rejects(send(-1), (err: unknown) => err instanceof AppError && err.code === 'unavailable');
  for (let i = 0; statements.flat().length < MAX_WAITING + 2 && i < 100; i++) {
    finishAll();
    await pause(1);
  }
  finishAll();
  const stored = await Promise.all(waiting);
  assert.equal(stored.length, MAX_WAITING + 2);
  assert.ok(!statements.flat().some((m) => m.clientMsgId === 'm-1'), 'the refused send was never stored');
});
