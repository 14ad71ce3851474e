import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rateLadder } from './group-traffic.phase';

const ladder = (startRate: number, maxRate: number, maxSteps = 12) =>
  rateLadder({ startRate, maxRate, targetRates: [1000, 2000], stepSeconds: 20, maxSteps, p99LimitMs: 250 });

test('phase A doubles from the start rate and also runs the rates the targets name, in order', () => {
  assert.deepEqual(ladder(100, 6400), [100, 200, 400, 800, 1000, 1600, 2000, 3200, 6400]);
});

test('a target rate outside the chosen range is not run; one equal to a doubling step runs once', () => {
  assert.deepEqual(ladder(2000, 2000), [2000]);
  assert.deepEqual(ladder(50, 50), [50]);
  assert.deepEqual(ladder(500, 4000), [500, 1000, 2000, 4000]);
});

test('maxSteps bounds the ladder from the bottom up', () => {
  assert.deepEqual(ladder(100, 25600, 3), [100, 200, 400]);
});
