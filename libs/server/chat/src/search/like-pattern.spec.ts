import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeLike, searchKey } from './like-pattern';

test('LIKE wildcards in user input match only themselves', () => {
  assert.equal(escapeLike('50%_off\\'), '50\\%\\_off\\\\');
  assert.equal(escapeLike('plain'), 'plain');
});

test('search text is case-folded and NFKC-normalized like the stored keys', () => {
  assert.equal(searchKey('ＡＢｃ'), 'abc');
});
