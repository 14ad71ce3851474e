import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentile, summarize } from './stats';

test('percentile uses the nearest rank', () => {
  const xs = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(xs, 50), 50);
  assert.equal(percentile(xs, 99), 99);
  assert.equal(percentile(xs, 100), 100);
  assert.equal(percentile([7], 99), 7);
  assert.equal(percentile([], 50), null);
});

test('summarize sorts numerically, not as strings', () => {
  const s = summarize([10, 9, 100, 2]);
  assert.deepEqual(s, { count: 4, p50: 9, p99: 100, max: 100 });
  assert.deepEqual(summarize([]), { count: 0, p50: null, p99: null, max: null });
});
