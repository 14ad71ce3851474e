import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConversationTurns } from './conversation-turns';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

test('tasks of one conversation run one at a time, in the order they came', async () => {
  const turns = new ConversationTurns(1_000);
  const log: string[] = [];
  let running = 0;
  const task = (name: string, ms: number) => async () => {
    running++;
    assert.equal(running, 1, `${name} overlapped another task of its conversation`);
    log.push(`${name} start`);
    await tick(ms);
    log.push(`${name} end`);
    running--;
    return name;
  };
  const results = await Promise.all([turns.run('c', task('a', 15)), turns.run('c', task('b', 1)), turns.run('c', task('c', 5))]);
  assert.deepEqual(results, ['a', 'b', 'c']);
  assert.deepEqual(log, ['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  await tick();
  assert.equal(turns.busy, 0, 'a finished conversation is forgotten');
});

test('different conversations run side by side', async () => {
  const turns = new ConversationTurns(1_000);
  let running = 0;
  let most = 0;
  const task = async () => {
    running++;
    most = Math.max(most, running);
    await tick(10);
    running--;
  };
  await Promise.all([turns.run('a', task), turns.run('b', task), turns.run('c', task)]);
  assert.equal(most, 3);
});

test('a failing task fails alone and does not hold up the next one', async () => {
  const turns = new ConversationTurns(1_000);
  const failing = turns.run('c', async () => {
    await tick();
    throw new Error('boom');
  });
  const next = turns.run('c', async () => 'next ran');
  await assert.rejects(failing, /boom/);
  assert.equal(await next, 'next ran');
});

test('a task that hangs holds up the next one for maxWaitMs at most', async () => {
  const turns = new ConversationTurns(30);
  void turns.run('c', () => new Promise<void>(() => undefined)); // never settles
  const started = Date.now();
  assert.equal(await turns.run('c', async () => 'went ahead'), 'went ahead');
  const waited = Date.now() - started;
  assert.ok(waited >= 25 && waited < 1_000, `waited ${waited} ms`);
});
