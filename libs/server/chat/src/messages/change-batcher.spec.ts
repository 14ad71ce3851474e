import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppConfig } from '@chatbox/server-config';
import type { AfterCommit } from './after-commit';
import type { StoredChange } from './fanout-scheduler.port';
import type { ChangeOutcome, ChangeRequest, MessageChangeRepository } from './message-change.repository';
import { ChangeBatcher } from './change-batcher';
import { USEFUL_BATCH } from './group-commit';

/** (A window long enough that a loaded machine cannot split the burst.) A repository that changes every message except 'bad', whose presence fails the whole statement. */
function harness(opts: { answerMs?: number; stalled?: boolean } = {}) {
  const statements: string[][] = [];
  const enqueued: StoredChange[][] = [];
  const repository = {
    applyBatch: async (batch: ChangeRequest[]): Promise<ChangeOutcome[]> => {
      statements.push(batch.map((r) => r.messageId));
      if (opts.stalled) await new Promise(() => undefined); // a connection that carries nothing
      if (batch.some((r) => r.messageId === 'bad')) throw new Error('value too long');
      return batch.map((r) => ({ outcome: 'changed', change: { kind: 'updated', membersVersion: 1, message: { id: r.messageId } } }) as ChangeOutcome);
    },
  } as unknown as MessageChangeRepository;
  const afterCommit = { fanOut: async (changes: StoredChange[]) => void enqueued.push(changes) } as unknown as AfterCommit;
  const batcher = new ChangeBatcher(repository, afterCommit, { fanout: { sendBatchWindowMs: 500 }, sendAnswerMs: opts.answerMs ?? 10_000 } as AppConfig);
  const submit = (messageId: string) => batcher.submit({ conversationId: 'c', messageId, userId: 'u', change: { kind: 'react', emoji: '👍' } });
  return { statements, enqueued, submit };
}

test('changes arriving together are one statement and one enqueue, each answered with its own outcome', async () => {
  const { statements, enqueued, submit } = harness();
  const outcomes = await Promise.all(['m1', 'm2', 'm3', 'm4'].map(submit));
  // two statements in flight at most: the changes arriving meanwhile wait for a slot, together
  assert.deepEqual(statements, [['m1'], ['m2'], ['m3', 'm4']]);
  assert.deepEqual(enqueued.map((changes) => changes.map((c) => (c.kind === 'notice' ? c.notice.id : c.message.id))), [['m1'], ['m2'], ['m3', 'm4']]);
  assert.deepEqual(outcomes.map((o) => (o.outcome === 'changed' ? o.change.message.id : o.outcome)), ['m1', 'm2', 'm3', 'm4']);
});

test('on a quiet server a change waits for no window: a reaction right after another is stored at once', async () => {
  const { statements, submit } = harness();
  await submit('m1');
  void submit('m2');
  assert.deepEqual(statements, [['m1'], ['m2']], 'stored without waiting out the 500 ms window');
});

test(`under a burst (${USEFUL_BATCH} changes or more in a window) the changes wait out the window and go together`, async () => {
  const { statements, submit } = harness();
  const ids = Array.from({ length: 2 * USEFUL_BATCH }, (_, i) => `m${i}`);
  const outcomes = await Promise.all(ids.map(submit));
  assert.deepEqual(statements.map((s) => s.length), [1, 1, 2 * USEFUL_BATCH - 2]);
  assert.equal(outcomes.length, 2 * USEFUL_BATCH);
});

test('a batch that fails is applied change by change: only the change that fails answers with the error', async () => {
  const { statements, submit } = harness();
  const first = submit('m1');
  const rest = ['m2', 'bad', 'm3'].map((id) => submit(id).then((o) => o.outcome, (err: Error) => err.message));
  await first;
  assert.deepEqual(await Promise.all(rest), ['changed', 'value too long', 'changed']);
  // m1 and m2 take the two statement slots; 'bad' and m3 wait and fail together, then go one by one
  assert.deepEqual(statements, [['m1'], ['m2'], ['bad', 'm3'], ['bad'], ['m3']]);
});

test('a change not stored within SEND_ANSWER_MS is answered unavailable, not left waiting', async () => {
  const { submit } = harness({ answerMs: 50, stalled: true });
  const started = Date.now();
  await assert.rejects(submit('m1'), (err: Error & { code?: string }) => err.code === 'unavailable');
  assert.ok(Date.now() - started < 1_000);
});
