import { test } from 'node:test';
import assert from 'node:assert/strict';
import { highlightExcerpt } from './highlight-excerpt';

const show = (parts: ReturnType<typeof highlightExcerpt>) => parts.map((p) => (p.marked ? `[${p.text}]` : p.text)).join('');

test('matched words are marked, the rest is plain text', () => {
  assert.equal(show(highlightExcerpt('deploy the build today', [{ start: 0, end: 6 }, { start: 11, end: 16 }])), '[deploy] the [build] today');
});

test('a long text is cut to a window starting shortly before the first match, at a word', () => {
  const text = `${'word '.repeat(100)}needle and more ${'tail '.repeat(100)}`;
  const start = text.indexOf('needle');
  const shown = show(highlightExcerpt(text, [{ start, end: start + 6 }], 60, 12));
  assert.match(shown, /^…(word ){1,3}\[needle\] and more tail/);
  assert.ok(shown.endsWith('…'));
  assert.ok(shown.length <= 64);
});

test('ranges off the text, empty or overlapping are ignored; no ranges shows the start', () => {
  assert.equal(show(highlightExcerpt('abc', [{ start: 2, end: 9 }, { start: 1, end: 1 }])), 'abc');
  assert.equal(show(highlightExcerpt('abcdef', [{ start: 0, end: 3 }, { start: 2, end: 4 }])), '[abc]def');
  assert.equal(show(highlightExcerpt('plain text', [])), 'plain text');
});

test('a cut never splits an emoji (a surrogate pair)', () => {
  const parts = highlightExcerpt('ab😀cd', [], 3, 0);
  assert.equal(show(parts), 'ab…');
});
