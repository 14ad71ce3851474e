import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldKey } from './text-key';

test('the key folds case and look-alike forms: fullwidth letters and ligatures become plain ones', () => {
  assert.equal(foldKey('ＡＢｃ'), 'abc');
  assert.equal(foldKey('ﬁle'), 'file');
  assert.equal(foldKey('Zoë'), foldKey('ZOE\u0308'));
});
