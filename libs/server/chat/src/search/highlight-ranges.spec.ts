import { test } from 'node:test';
import assert from 'node:assert/strict';
import { highlightRanges, MARK_END, MARK_START } from './highlight-ranges';

const mark = (s: string) => `${MARK_START}${s}${MARK_END}`;

test('marked words become ranges of the body, in UTF-16 units', () => {
  const body = '👩‍💻 Crème brûlée at the café';
  const marked = `👩‍💻 ${mark('Crème')} ${mark('brûlée')} at the ${mark('café')}`;
  const ranges = highlightRanges(body, marked);
  assert.deepEqual(ranges.map((r) => body.slice(r.start, r.end)), ['Crème', 'brûlée', 'café']);
});

test('control characters of the body itself are no marks (they were replaced before marking)', () => {
  const body = `a ${MARK_START}b${MARK_END} c`;
  assert.deepEqual(highlightRanges(body, `a  b  ${mark('c')}`), [{ start: 6, end: 7 }]);
});

test('an answer that is not the body with marks marks nothing', () => {
  assert.deepEqual(highlightRanges('abc', `${mark('abd')}`), []);
});
