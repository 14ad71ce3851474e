import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fanoutFloor } from './fanout-floor';
import { sentAtOf, stamped } from './floor-protocol';

test('a frame carries its send time ahead of the payload', () => {
  assert.equal(sentAtOf(stamped('x y z', 1234.5)), 1234.5);
});

test('the fan-out floor times every frame at every socket, spread over the client processes', async () => {
  const run = await fanoutFloor(25, 2, 3, 20, 300);
  assert.equal(run.received, 75);
  assert.equal(run.latencyMs.count, 75);
  assert.ok(run.latencyMs.p50! > 0 && run.latencyMs.max! < 5000, `latencies ${JSON.stringify(run.latencyMs)}`);
  assert.equal(run.serverLoopMs.count, 3);
});
