import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND_NAMES, helpText, parseCommand, splitGroupName } from './command-parser';

const groups = ['Launch', 'Launch crew', 'ops'];

describe('parseCommand', () => {
  test('plain text goes to the open conversation; //text sends a slash', () => {
    assert.deepEqual(parseCommand('  hello there '), { kind: 'send', target: null, body: 'hello there' });
    assert.deepEqual(parseCommand('//shrug'), { kind: 'send', target: null, body: '/shrug' });
    assert.deepEqual(parseCommand('   '), { kind: 'empty' });
  });

  test('@user text is a direct message; @user alone opens it', () => {
    assert.deepEqual(parseCommand('@bob hi, lunch?'), { kind: 'send', target: { kind: 'user', username: 'bob' }, body: 'hi, lunch?' });
    assert.deepEqual(parseCommand('@bob'), { kind: 'open', target: { kind: 'user', username: 'bob' } });
    assert.equal(parseCommand('@ hi').kind, 'error');
  });

  test('#group text reads the longest known group name, spaces included', () => {
    assert.deepEqual(parseCommand('#Launch crew go', groups), { kind: 'send', target: { kind: 'group', name: 'Launch crew' }, body: 'go' });
    assert.deepEqual(parseCommand('#launch go', groups), { kind: 'send', target: { kind: 'group', name: 'launch' }, body: 'go' });
    assert.deepEqual(parseCommand('#Launch crew', groups), { kind: 'open', target: { kind: 'group', name: 'Launch crew' } });
    assert.deepEqual(parseCommand('#unknown hi', groups), { kind: 'send', target: { kind: 'group', name: 'unknown' }, body: 'hi' });
  });

  test('group commands', () => {
    assert.deepEqual(parseCommand('/join #Book club'), { kind: 'join', group: 'Book club' });
    assert.deepEqual(parseCommand('/leave'), { kind: 'leave', group: null });
    assert.deepEqual(parseCommand('/leave Launch crew', groups), { kind: 'leave', group: 'Launch crew' });
    assert.deepEqual(parseCommand('/members #ops'), { kind: 'members', group: 'ops' });
    assert.deepEqual(parseCommand('/create --public Book club'), { kind: 'create', name: 'Book club', visibility: 'public' });
    assert.deepEqual(parseCommand('/create Secret'), { kind: 'create', name: 'Secret', visibility: 'private' });
    assert.deepEqual(parseCommand('/add #Launch crew @ann, bob', groups), { kind: 'add', group: 'Launch crew', usernames: ['ann', 'bob'] });
    assert.deepEqual(parseCommand('/remove carl'), { kind: 'remove', group: null, usernames: ['carl'] });
    assert.deepEqual(parseCommand('/add'), { kind: 'error', message: 'usage: /add [#group] user...' });
  });

  test('react, reply, search and the rest', () => {
    assert.deepEqual(parseCommand('/react 12 👍'), { kind: 'react', seq: 12, emoji: '👍' });
    assert.deepEqual(parseCommand('/react [12] :tada:'), { kind: 'react', seq: 12, emoji: ':tada:' });
    assert.deepEqual(parseCommand('/reply 7 agreed, ship it'), { kind: 'reply', seq: 7, body: 'agreed, ship it' });
    assert.equal(parseCommand('/reply seven x').kind, 'error');
    assert.deepEqual(parseCommand('/search release notes'), { kind: 'search', query: 'release notes' });
    assert.deepEqual(parseCommand('/open @bob'), { kind: 'open', target: { kind: 'user', username: 'bob' } });
    assert.deepEqual(parseCommand('/open ops'), { kind: 'open', target: { kind: 'group', name: 'ops' } });
    assert.deepEqual(parseCommand('/HELP'), { kind: 'help' });
    assert.deepEqual(parseCommand('/quit'), { kind: 'quit' });
    assert.match((parseCommand('/frobnicate') as { message: string }).message, /unknown command \/frobnicate/);
  });

  test('splitGroupName needs a word boundary after a known name', () => {
    assert.deepEqual(splitGroupName('opsy hi', groups), { name: 'opsy', rest: 'hi' });
    assert.deepEqual(splitGroupName('ops hi', groups), { name: 'ops', rest: 'hi' });
  });

  test('/anon asks without a name, in the open conversation or a named group', () => {
    assert.deepEqual(parseCommand('/anon is this on the exam?'), { kind: 'send', target: null, body: 'is this on the exam?', anonymous: true });
    assert.deepEqual(parseCommand('/anon #Physics 101 why?', ['Physics 101']), {
      kind: 'send',
      target: { kind: 'group', name: 'Physics 101' },
      body: 'why?',
      anonymous: true,
    });
    assert.equal(parseCommand('/anon').kind, 'error');
    assert.equal(parseCommand('/anon #Physics 101', ['Physics 101']).kind, 'error');
  });

  test('help names every command', () => {
    for (const name of COMMAND_NAMES) assert.ok(helpText().includes(name), name);
  });
});
