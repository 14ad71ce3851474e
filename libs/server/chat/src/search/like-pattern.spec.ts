import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeLike, prefixUpperBound } from './like-pattern';

test('LIKE wildcards in user input match only themselves', () => {
  assert.equal(escapeLike('50%_off\\'), '50\\%\\_off\\\\');
  assert.equal(escapeLike('plain'), 'plain');
});

test('a prefix range ends at the key with its last character incremented', () => {
  assert.equal(prefixUpperBound('anna'), 'annb');
  assert.equal(prefixUpperBound('a\u{10FFFF}'), 'b'); // "a" then U+10FFFF and more still sorts below "b"
  assert.equal(prefixUpperBound('\u{D7FF}'), '\u{E000}');
  assert.equal(prefixUpperBound('\u{10FFFF}'), undefined);
  assert.equal(prefixUpperBound(''), undefined);
});
