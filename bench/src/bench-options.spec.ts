import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBenchOptions } from './bench-options';

test('--api-node-args gives the api processes more node flags, space-separated; none by default', () => {
  assert.deepEqual(parseBenchOptions(['--api-node-args=--trace-gc  --inspect=127.0.0.1:9339']).apiNodeArgs, ['--trace-gc', '--inspect=127.0.0.1:9339']);
  assert.deepEqual(parseBenchOptions([]).apiNodeArgs, []);
});
