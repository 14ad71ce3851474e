import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND_NAMES } from './command-parser';
import { completionHits, completionRequest } from './completion';

const groups = ['Launch crew', 'ops'];

describe('completionRequest', () => {
  test('a slash word is a command', () => {
    assert.deepEqual(completionRequest('/me', groups), { kind: 'command', partial: '/me', substring: '/me', sigil: '' });
    assert.deepEqual(completionHits(completionRequest('/re', groups)!, COMMAND_NAMES), ['/react ', '/remove ', '/reply ']);
  });

  test('@ completes usernames wherever it is typed', () => {
    assert.deepEqual(completionRequest('@bo', groups), { kind: 'user', partial: 'bo', substring: '@bo', sigil: '@' });
    assert.deepEqual(completionRequest('#ops ping @al', groups), { kind: 'user', partial: 'al', substring: '@al', sigil: '@' });
    assert.deepEqual(completionHits(completionRequest('@bo', groups)!, ['bob_1f', 'Bobby', 'carl', 'bob_1f']), ['@bob_1f ', '@bobby ']);
  });

  test('# completes group names, spaces included, until the name is complete', () => {
    assert.deepEqual(completionRequest('#Lau', groups), { kind: 'group', partial: 'Lau', substring: '#Lau', sigil: '#' });
    assert.deepEqual(completionRequest('#Launch c', groups)?.partial, 'Launch c');
    assert.equal(completionRequest('#Launch crew hello', groups), null);
    assert.deepEqual(completionHits(completionRequest('#lau', groups)!, groups), ['#launch crew ']);
  });

  test('commands that take a name complete it without a sigil', () => {
    assert.deepEqual(completionRequest('/join Bo', groups), { kind: 'joinable-group', partial: 'Bo', substring: 'Bo', sigil: '' });
    assert.deepEqual(completionRequest('/join #Bo', groups), { kind: 'joinable-group', partial: 'Bo', substring: '#Bo', sigil: '#' });
    assert.deepEqual(completionRequest('/leave o', groups), { kind: 'group', partial: 'o', substring: 'o', sigil: '' });
    assert.deepEqual(completionRequest('/add #ops ca', groups), { kind: 'user', partial: 'ca', substring: 'ca', sigil: '' });
    assert.deepEqual(completionRequest('/remove ', groups), { kind: 'user', partial: '', substring: '', sigil: '' });
  });

  test('plain words complete nothing', () => {
    assert.equal(completionRequest('hello wor', groups), null);
    assert.deepEqual(completionHits(completionRequest('/zz', groups)!, COMMAND_NAMES), []);
  });
});
