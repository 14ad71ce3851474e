import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyCompletion, completionAt, emojiMatches, peopleMatches } from './completion';

test('@ and :xx at a word start ask for completion; addresses, times and smileys do not', () => {
  assert.deepEqual(completionAt('hi @an', 6), { trigger: '@', query: 'an', start: 3, end: 6 });
  assert.deepEqual(completionAt('@', 1), { trigger: '@', query: '', start: 0, end: 1 });
  assert.deepEqual(completionAt('nice :ta', 8), { trigger: ':', query: 'ta', start: 5, end: 8 });
  for (const [text, caret] of [['mail a@b', 8], ['at 10:30', 8], ['ok :)', 5], [':t', 2], ['hi @an x', 8]] as const) assert.equal(completionAt(text, caret), null, text);
  assert.equal(completionAt('hi @an', 4)?.query, '', 'up to the caret only');
});

test('a choice replaces the query and adds one space', () => {
  const at = completionAt('hi @an and', 6)!;
  assert.deepEqual(applyCompletion('hi @an and', at, '@ann'), { text: 'hi @ann and', caret: 8 });
  assert.deepEqual(applyCompletion('@a', completionAt('@a', 2)!, '@ann'), { text: '@ann ', caret: 5 });
});

test('emoji by shortcode, prefix first; people by username or name, prefix first', () => {
  assert.deepEqual(emojiMatches('tad')[0], { code: 'tada', emoji: '🎉' });
  assert.ok(emojiMatches('smile').every((e, i, all) => i === 0 || !all[i - 1].code.includes('smile') || e.code.includes('smile')));
  assert.equal(emojiMatches('zzzzqq').length, 0);
  const people = [{ username: 'bob', displayName: 'Robert' }, { username: 'rob_b', displayName: 'Rob' }, { username: 'ann', displayName: 'Ann' }];
  assert.deepEqual(peopleMatches(people, 'ro').map((p) => p.username), ['bob', 'rob_b']);
  assert.deepEqual(peopleMatches(people, 'ob').map((p) => p.username), ['bob', 'rob_b']);
  assert.deepEqual(peopleMatches(people, '').map((p) => p.username), ['bob', 'rob_b', 'ann']);
});
