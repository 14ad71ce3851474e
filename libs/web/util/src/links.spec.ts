import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { safeHref } from './links';

describe('safeHref', () => {
  test('accepts http(s) only', () => {
    assert.equal(safeHref('https://a.b/c'), 'https://a.b/c');
    assert.equal(safeHref('javascript:alert(1)'), null);
    assert.equal(safeHref('JAVASCRIPT://%0aalert(1)'), null);
    assert.equal(safeHref('data:text/html,<b>x</b>'), null);
    assert.equal(safeHref('not a url'), null);
  });
});
