import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBenchOptions } from './bench-options';

test('--api-node-args gives the api processes more node flags, space-separated; none by default', () => {
  assert.deepEqual(parseBenchOptions(['--api-node-args=--trace-gc  --inspect=127.0.0.1:9339']).apiNodeArgs, ['--trace-gc', '--inspect=127.0.0.1:9339']);
  assert.deepEqual(parseBenchOptions([]).apiNodeArgs, []);
});

test('--mixed takes phase E rate, seconds and warm-up seconds (0: measured cold); the warm-up keeps its default when left out', () => {
  assert.deepEqual(parseBenchOptions([]).driver.phaseE, { rate: 1000, seconds: 22, warmupSeconds: 3 });
  assert.deepEqual(parseBenchOptions(['--mixed', '500:10']).driver.phaseE, { rate: 500, seconds: 10, warmupSeconds: 3 });
  assert.deepEqual(parseBenchOptions(['--mixed', '500:10:0']).driver.phaseE, { rate: 500, seconds: 10, warmupSeconds: 0 });
  assert.throws(() => parseBenchOptions(['--mixed', '500:10:-1']), /--mixed warm-up seconds must be a whole number of at least 0/);
});
