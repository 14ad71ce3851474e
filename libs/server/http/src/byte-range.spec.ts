import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseByteRange } from './byte-range';

test('ranges of a 100-byte file', () => {
  assert.deepEqual(parseByteRange('bytes=0-9', 100), { start: 0, end: 9 });
  assert.deepEqual(parseByteRange('bytes=90-', 100), { start: 90, end: 99 });
  assert.deepEqual(parseByteRange('bytes=-10', 100), { start: 90, end: 99 });
  assert.deepEqual(parseByteRange('bytes=-500', 100), { start: 0, end: 99 });
  assert.deepEqual(parseByteRange('bytes=50-5000', 100), { start: 50, end: 99 });
  assert.equal(parseByteRange('bytes=100-', 100), 'unsatisfiable');
  assert.equal(parseByteRange('bytes=-0', 100), 'unsatisfiable');
  assert.equal(parseByteRange(undefined, 100), undefined);
  for (const ignored of ['items=0-1', 'bytes=0-1,5-6', 'bytes=9-2', 'bytes=-', 'bytes=a-b']) assert.equal(parseByteRange(ignored, 100), undefined, ignored);
});

test('an empty file has no satisfiable range', () => {
  assert.equal(parseByteRange('bytes=0-', 0), 'unsatisfiable');
});
