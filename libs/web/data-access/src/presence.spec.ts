import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TUser } from '@chatbox/contracts';
import { applyPresence, batchToChanges, withOnlineList } from './presence';

const user = (id: string): TUser => ({ id, username: id, displayName: id, online: true, role: 'member', deactivated: false });

test('going offline leaves the online list at once; coming online asks for a refresh', () => {
  const state = { presence: {}, onlineUsers: [user('a'), user('b')] };
  const next = applyPresence(state, batchToChanges({ online: ['c'], offline: ['a'] }));
  assert.deepEqual(next.onlineUsers.map((u) => u.id), ['b']);
  assert.deepEqual(next.presence, { c: true, a: false });
  assert.equal(next.refresh, true);
  assert.equal(applyPresence(state, [{ userId: 'b', online: true }]).refresh, false, 'already listed');
});

test('the fetched list marks everyone in it online', () => {
  const next = withOnlineList({ presence: { a: false }, onlineUsers: [] }, [user('a')]);
  assert.deepEqual(next.presence, { a: true });
});
