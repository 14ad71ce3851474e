import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mentionCandidates } from './mentions';

test('@names are lower-cased, each once, with punctuation around them as optional readings', () => {
  assert.deepEqual(mentionCandidates('hi @Bob, and (@carol) @BOB!').usernames, ['bob', 'carol']);
  assert.deepEqual(mentionCandidates('thanks @bob.').usernames, ['bob.', 'bob']);
  assert.deepEqual(mentionCandidates('@j.r.-').usernames, ['j.r.-', 'j.r']);
});

test('an address, a too short name and code mention nobody', () => {
  assert.deepEqual(mentionCandidates('mail bob@example.com or @ab').usernames, []);
  assert.deepEqual(mentionCandidates('run `@bob` then\n```\n@carol\n```').usernames, []);
});

test('@everyone in any case and with punctuation is everyone, not a name', () => {
  assert.deepEqual(mentionCandidates('@Everyone: lunch'), { usernames: [], everyone: true });
  assert.equal(mentionCandidates('everyone@host').everyone, false);
});
