import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TChange, TFanoutRange } from '@chatbox/contracts';
import { aMessage } from '@chatbox/contracts/testing';
import { continues, RangeTurns } from './range-turns';

const CONVERSATION = '00000000-0000-4000-8000-000000000001';
const change = (eventSeq: number): TChange => ({ kind: 'created', message: aMessage({ id: `m${eventSeq}`, seq: eventSeq, eventSeq, conversationId: CONVERSATION }) });
const range = (eventSeqs: number[], membersVersion = 1, conversationId = CONVERSATION): TFanoutRange => ({
  conversationId,
  eventSeq: eventSeqs[eventSeqs.length - 1],
  membersVersion,
  changes: eventSeqs.map(change),
});
const seqsOf = (r: TFanoutRange) => (r.changes ?? []).map((c) => (c.kind === 'created' ? c.message.eventSeq : -1));
const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

/** A delivery that records what it was given and takes `ms`. */
function recorder(ms: number, outcome = true) {
  const delivered: TFanoutRange[] = [];
  let running = 0;
  const deliver = async (r: TFanoutRange) => {
    running++;
    assert.equal(running, 1, 'two deliveries of one conversation overlapped');
    delivered.push(r);
    await tick(ms);
    running--;
    return outcome;
  };
  return { delivered, deliver };
}

test('the ranges that come while a conversation is delivered go together in its next turn, in order', async () => {
  const turns = new RangeTurns(1_000);
  const { delivered, deliver } = recorder(20);
  const outcomes = await Promise.all([turns.run(range([1]), deliver), turns.run(range([2]), deliver), turns.run(range([3, 4]), deliver), turns.run(range([5]), deliver)]);
  assert.deepEqual(outcomes, [true, true, true, true]);
  assert.deepEqual(delivered.map(seqsOf), [[1], [2, 3, 4, 5]]);
  assert.equal(delivered[1].eventSeq, 5, 'the joined range ends where its last part ends');
});

test('a range that does not continue the waiting one waits on its own: a gap between them, or other members', async () => {
  const turns = new RangeTurns(1_000);
  const { delivered, deliver } = recorder(10);
  // 4 was committed by another process: the api must not deliver 3 and 5 as if they were adjacent
  await Promise.all([turns.run(range([1]), deliver), turns.run(range([2, 3]), deliver), turns.run(range([5]), deliver), turns.run(range([6], 2), deliver)]);
  assert.deepEqual(delivered.map(seqsOf), [[1], [2, 3], [5], [6]]);
  assert.deepEqual(delivered.map((r) => r.membersVersion), [1, 1, 1, 2]);
});

test('every range joined into a delivery gets its outcome, so a failed one goes to the worker whole', async () => {
  const turns = new RangeTurns(1_000);
  const ok = recorder(10);
  const failing = recorder(1, false);
  const first = turns.run(range([1]), ok.deliver);
  const joined = [turns.run(range([2]), failing.deliver), turns.run(range([3]), ok.deliver)];
  assert.equal(await first, true);
  assert.deepEqual(await Promise.all(joined), [false, false]);
  assert.deepEqual(failing.delivered.map(seqsOf), [[2, 3]]);
});

test('conversations are delivered side by side and never joined', async () => {
  const turns = new RangeTurns(1_000);
  const other = '00000000-0000-4000-8000-000000000002';
  const seen: string[] = [];
  const deliver = async (r: TFanoutRange) => {
    seen.push(`${r.conversationId.slice(-1)}:${seqsOf(r).join(',')}`);
    await tick(10);
    return true;
  };
  await Promise.all([turns.run(range([1]), deliver), turns.run(range([1], 1, other), deliver), turns.run(range([2]), deliver), turns.run(range([2], 1, other), deliver)]);
  assert.deepEqual(seen.sort(), ['1:1', '1:2', '2:1', '2:2']);
});

test('a range continues another only when its first change is the next eventSeq and the members are the same', () => {
  assert.equal(continues(range([1, 2]), range([3])), true);
  assert.equal(continues(range([1, 2]), range([4])), false);
  assert.equal(continues(range([1, 2]), range([3], 2)), false);
  assert.equal(continues({ conversationId: CONVERSATION, eventSeq: 2 }, range([3])), false, 'a range without its changes is read from the database: nothing joins it');
});
