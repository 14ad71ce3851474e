import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TMessage, TUser } from '@chatbox/contracts';
import { aMessage, person } from '@chatbox/contracts/testing';
import { actionsFor, emojiFromInput, hasReacted } from './message-actions';

const me: TUser = { id: 'me', username: 'me', displayName: 'Me', online: true, role: 'member', deactivated: false };
const msg = (sender: string, patch: Partial<TMessage> = {}): TMessage => aMessage({ id: 'm1', seq: 1, sender: person(sender), body: 'x', ...patch });

test('own messages can be edited and deleted; others only by a group owner or an admin, and only deleted', () => {
  assert.deepEqual(actionsFor(msg('me'), me, { kind: 'direct', role: 'member' }), { react: true, reply: true, edit: true, delete: true });
  assert.deepEqual(actionsFor(msg('bob'), me, { kind: 'direct', role: 'member' }), { react: true, reply: true, edit: false, delete: false });
  assert.equal(actionsFor(msg('bob'), me, { kind: 'group', role: 'owner' }).delete, true);
  const admin: TUser = { ...me, role: 'admin' };
  assert.deepEqual(actionsFor(msg('bob'), admin, { kind: 'all', role: 'member' }), { react: true, reply: true, edit: false, delete: true }, 'an admin deletes anywhere, edits only their own');
  assert.deepEqual(actionsFor(msg('me', { deletedAt: 'x' }), me, undefined), { react: false, reply: false, edit: false, delete: false }, 'a tombstone offers nothing');
  assert.equal(actionsFor(msg('me', { threadRootId: 'm0' }), me, undefined).reply, false, 'no reply to a reply');
});

test('chip toggle and shortcodes', () => {
  const m = msg('bob', { reactions: [{ emoji: '👍', userIds: ['me'] }] });
  assert.equal(hasReacted(m, '👍', 'me'), true);
  assert.equal(hasReacted(m, '🎉', 'me'), false);
  assert.equal(emojiFromInput(':tada:'), '🎉');
  assert.equal(emojiFromInput('party_parrot'), ':party_parrot:');
  assert.equal(emojiFromInput(':no spaces:'), null);
});

test('an anonymous message: edit only where this browser sent it; delete as for any message', () => {
  const anonymous = msg('anonymous', { anonymous: true });
  const owner = { kind: 'group', role: 'owner' } as const;
  const member = { kind: 'group', role: 'member' } as const;
  assert.deepEqual(actionsFor(anonymous, me, member), { react: true, reply: true, edit: false, delete: false }, "someone else's question");
  assert.deepEqual(actionsFor(anonymous, me, member, true), { react: true, reply: true, edit: true, delete: true }, 'my own question');
  assert.deepEqual(actionsFor(anonymous, me, owner), { react: true, reply: true, edit: false, delete: true }, 'the owner deletes, never edits');
  // a user whose id happened to read "anonymous" is still no author
  assert.equal(actionsFor(anonymous, { ...me, id: 'anonymous' }, member).edit, false);
});
