import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { safeHref, splitLinks } from './links';

describe('splitLinks', () => {
  test('plain text stays one text part, markup included', () => {
    assert.deepEqual(splitLinks('<img src=x onerror=alert(1)>'), [{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]);
  });

  test('http and https URLs become links, surrounding text kept', () => {
    assert.deepEqual(splitLinks('see https://example.org/a?b=1 and http://x.io'), [
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://x.io', href: 'http://x.io/' },
    ]);
  });

  test('sentence punctuation and an unmatched closing parenthesis are not part of the link', () => {
    const parts = splitLinks('(docs: https://example.org/wiki/A_(b)).');
    assert.deepEqual(parts[1], { kind: 'link', text: 'https://example.org/wiki/A_(b)', href: 'https://example.org/wiki/A_(b)' });
    assert.deepEqual(parts[2], { kind: 'text', text: ').' });
  });

  test('other schemes are never links', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'JAVASCRIPT://%0aalert(1)', 'ftp://x.org']) {
      assert.ok(splitLinks(text).every((p) => p.kind === 'text'), text);
    }
  });

  test('a quote ends a URL, so it cannot break out of an attribute', () => {
    const parts = splitLinks('https://x.org/"onmouseover="alert(1)');
    assert.equal(parts[0].kind, 'link');
    assert.equal(parts[0].text, 'https://x.org/');
  });
});

describe('safeHref', () => {
  test('accepts http(s) only', () => {
    assert.equal(safeHref('https://a.b/c'), 'https://a.b/c');
    assert.equal(safeHref('javascript:alert(1)'), null);
    assert.equal(safeHref('not a url'), null);
  });
});
