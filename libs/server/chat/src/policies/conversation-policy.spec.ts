import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONVERSATION_KINDS } from '@chatbox/contracts';
import { policyOf, POLICY_TABLE } from './conversation-policy';

test('every kind has a policy; what each allows', () => {
  for (const kind of CONVERSATION_KINDS) assert.ok(policyOf(kind), kind);
  const [direct, group, all] = [policyOf('direct'), policyOf('group'), policyOf('all')];
  assert.deepEqual([direct.refusesLeaving !== null, group.refusesLeaving !== null, all.refusesLeaving !== null], [true, false, true]);
  assert.deepEqual([group.isOpenToNonMembers('public'), group.isOpenToNonMembers('private'), direct.isOpenToNonMembers(null)], [true, false, false]);
  assert.deepEqual([group.mayModerate('owner'), group.mayModerate('member'), direct.mayModerate('owner'), all.mayManage('owner')], [true, false, false, false]);
  assert.deepEqual([direct.isBetweenTwo, group.isBetweenTwo, all.isBetweenTwo], [true, false, false]);
  // everything in direct chats and small groups; mentions in large groups (over 20) and in all
  assert.deepEqual([direct.defaultNotify(2), group.defaultNotify(20), group.defaultNotify(21), all.defaultNotify(3)], ['all', 'all', 'mentions', 'mentions']);
  assert.deepEqual([direct.everyoneIsForAdmins, group.everyoneIsForAdmins, all.everyoneIsForAdmins], [false, false, true]);
  assert.deepEqual([direct.announcesMembership, group.announcesMembership, all.announcesMembership], [false, true, false]);
});

test('the policies as data (for statements over many changes) say what the policies say', () => {
  assert.deepEqual(POLICY_TABLE.editableKinds, ['direct', 'group', 'all']);
  assert.deepEqual(POLICY_TABLE.moderators, ['group:owner']);
  assert.deepEqual(POLICY_TABLE.adminEveryoneKinds, ['all']);
});

test('an ephemeral group: a group in who may do what, but its messages live in Redis and vanish with the room', () => {
  const [ephemeral, group] = [policyOf('group', true), policyOf('group')];
  assert.deepEqual([ephemeral.mayModerate('owner'), ephemeral.isOpenToNonMembers('public'), ephemeral.refusesLeaving], [true, true, null]);
  assert.deepEqual([ephemeral.messagesLiveIn, ephemeral.vanishesWhenEmpty, ephemeral.isExported, ephemeral.announcesMembership], ['redis', true, false, false]);
  assert.deepEqual([group.messagesLiveIn, group.vanishesWhenEmpty, group.isExported], ['postgres', false, true]);
  assert.equal(policyOf('direct', true), policyOf('direct'), 'only groups can be ephemeral');
});
