import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InFlightWork } from './in-flight-work';

test('drained() waits for work begun before it, and counts each end once', async () => {
  const work = new InFlightWork();
  assert.equal(await work.drained(10), true, 'nothing in flight');
  const endA = work.begin();
  const endB = work.begin();
  const drained = work.drained(5_000);
  endA();
  endA(); // a second call must not end B's work too
  assert.equal(work.size, 1);
  let settled = false;
  void drained.then(() => (settled = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(settled, false);
  endB();
  assert.equal(await drained, true);
});

test('drained() gives up after its timeout; stop() turns new work away', async () => {
  const work = new InFlightWork();
  work.begin();
  assert.equal(await work.drained(20), false);
  assert.equal(work.accepting, true);
  work.stop();
  assert.equal(work.accepting, false);
});
