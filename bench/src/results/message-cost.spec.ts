import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuByKind, cpuPerThousand, withFanoutCost } from './message-cost';

test('CPU per process kind: apis summed, the socket holders counted with the driver', () => {
  assert.deepEqual(cpuByKind({ 'api-1': 1.5, 'api-2': 0.5, 'worker-1': 0.25, driver: 1, 'driver-holder-1': 2 }), { api: 2, worker: 0.25, driver: 3 });
});

test('CPU seconds per 1,000 units, none without units', () => {
  assert.deepEqual(cpuPerThousand({ 'api-1': 3.26, 'worker-1': 0.33 }, 99_990), { api: 0.033, worker: 0.003 });
  assert.equal(cpuPerThousand({ 'api-1': 1 }, 0), null);
});

test("phase B's runs take the CPU of their own mark; other phases pass through", () => {
  const run = { connectedUsers: 200, sent: 50, failed: 0, timedOut: 0, unanswered: 0, delivered: 9950 };
  const b = withFanoutCost({ phase: 'B', ok: true, problems: [], runs: [run] }, { 'B@200': { 'api-1': 0.5, 'worker-1': 0.1 } });
  assert.deepEqual((b.runs as Array<Record<string, unknown>>)[0].cpuSecondsPer1000Messages, { api: 10, worker: 2 });
  const c = { phase: 'C', ok: true, problems: [] };
  assert.equal(withFanoutCost(c, {}), c);
});
