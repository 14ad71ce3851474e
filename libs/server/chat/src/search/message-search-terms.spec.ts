import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSearchTerms } from './message-search-terms';

test('words, quoted phrases and prefixes are told apart', () => {
  assert.deepEqual(parseSearchTerms('deploy "release notes" budg*'), [
    { kind: 'word', text: 'deploy' },
    { kind: 'phrase', text: 'release notes' },
    { kind: 'prefix', text: 'budg' },
  ]);
});

test('an unclosed quote runs to the end; empty quotes and bare punctuation are dropped', () => {
  assert.deepEqual(parseSearchTerms('a "" ... "b c'), [
    { kind: 'word', text: 'a' },
    { kind: 'phrase', text: 'b c' },
  ]);
});

test('only the last run of letters before * is a prefix, and it holds no quote or backslash', () => {
  assert.deepEqual(parseSearchTerms("e-ma* o'br\\ie**"), [
    { kind: 'word', text: 'e' },
    { kind: 'prefix', text: 'ma' },
    { kind: 'word', text: 'o' },
    { kind: 'word', text: 'br' },
    { kind: 'prefix', text: 'ie' },
  ]);
  assert.deepEqual(parseSearchTerms('*** ?*'), []);
});

test('any script: Cyrillic, Greek and accented letters stay whole', () => {
  assert.deepEqual(parseSearchTerms('Привет καλημ* "Crème brûlée"'), [
    { kind: 'word', text: 'Привет' },
    { kind: 'prefix', text: 'καλημ' },
    { kind: 'phrase', text: 'Crème brûlée' },
  ]);
});
