import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSearchTerms } from '../search/message-search-terms';
import { matchBody } from './ephemeral-search';

const match = (body: string, q: string) => matchBody(body, parseSearchTerms(q));

test('words, phrases and prefixes must all match; accents and case fold; ranges name the words in the body', () => {
  assert.deepEqual(match('Le Café est prêt', 'cafe PRET'), [{ start: 3, end: 7 }, { start: 12, end: 16 }]);
  assert.equal(match('Le Café est prêt', 'cafe tea'), null);
  assert.deepEqual(match('deploy the release now', '"the release"'), [{ start: 7, end: 10 }, { start: 11, end: 18 }]);
  assert.equal(match('release the deploy', '"the release"'), null);
  assert.deepEqual(match('unbelievable', 'unbel*'), [{ start: 0, end: 12 }]);
  assert.equal(match('anything', ''), null);
});
