import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { MembershipService } from '@chatbox/server-chat';
import { PresenceStore } from '@chatbox/server-presence';
import { createTestApp, TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';
import { allConversationId, createGroup, people, person, roleOf, snapshot } from './support/chat-fixtures';

describe('groups', () => {
  let t: TestApp;
  before(async () => (t = await createTestApp(ApiModule)));
  after(() => t.close());

  test('create: the caller is owner, initial members are members, answer is the Conversation', async () => {
    const [owner, a, b] = await people(t, 3);
    const group = await createGroup(t, owner, { name: '  Team Rocket  ', memberIds: [a.id, b.id, a.id, owner.id] });
    assert.equal(group.kind, 'group');
    assert.equal(group.name, 'Team Rocket');
    assert.equal(group.visibility, 'private');
    assert.equal(group.role, 'owner');
    assert.equal(group.memberCount, 3);
    assert.deepEqual([group.lastSeq, group.readSeq, group.unread, group.lastMessage], [0, 0, 0, null]);
    assert.equal(await roleOf(t, group.id, owner.id), 'owner');
    assert.equal(await roleOf(t, group.id, a.id), 'member');
    assert.equal(await t.prisma.membership.count({ where: { conversationId: group.id } }), 3);
  });

  const badCreates: Array<[string, unknown, string]> = [
    ['an empty name', { name: '   ' }, 'name'],
    ['a name too long', { name: 'n'.repeat(65) }, 'name'],
    ['a bad visibility', { name: 'x', visibility: 'secret' }, 'visibility'],
    ['a malformed member id', { name: 'x', memberIds: ['nope'] }, 'memberIds.0'],
    ['an unknown member id', { name: 'x', memberIds: ['00000000-0000-4000-8000-000000000000'] }, 'memberIds'],
    ['an unknown field', { name: 'x', owner: 'me' }, 'owner'],
  ];
  for (const [what, body, field] of badCreates) {
    test(`create with ${what} is a 400 naming "${field}" and stores nothing`, async () => {
      const owner = await person(t);
      const res = await t.client.post('/groups', body, owner.token);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'validation_failed');
      assert.ok(res.body.error.fields[field], JSON.stringify(res.body.error));
      assert.equal(await t.prisma.membership.count({ where: { userId: owner.id, conversation: { kind: 'group' } } }), 0);
    });
  }

  test('adding members: 400 for unknown users or an empty list, and nothing stored', async () => {
    const owner = await person(t);
    const group = await createGroup(t, owner);
    const before = await snapshot(t, group.id);
    const unknown = await t.client.post(`/groups/${group.id}/members`, { userIds: ['00000000-0000-4000-8000-000000000000'] }, owner.token);
    assert.equal(unknown.status, 400);
    assert.ok(unknown.body.error.fields.userIds);
    const empty = await t.client.post(`/groups/${group.id}/members`, { userIds: [] }, owner.token);
    assert.equal(empty.status, 400);
    assert.ok(empty.body.error.fields.userIds);
    assert.equal(await snapshot(t, group.id), before);
  });

  test('adding members answers the owner view with the new count; adding again changes nothing', async () => {
    const [owner, a, b] = await people(t, 3);
    const group = await createGroup(t, owner);
    const res = await t.client.post(`/groups/${group.id}/members`, { userIds: [a.id, b.id] }, owner.token);
    assert.equal(res.status, 200);
    assert.equal(res.body.memberCount, 3);
    assert.equal(res.body.role, 'owner');
    const before = await snapshot(t, group.id);
    const again = await t.client.post(`/groups/${group.id}/members`, { userIds: [a.id] }, owner.token);
    assert.equal(again.status, 200);
    assert.equal(await snapshot(t, group.id), before);
  });

  test('ownership passes to the longest-standing member; the last one leaving archives the group', async () => {
    const [owner, first, second] = await people(t, 3);
    const group = await createGroup(t, owner, { visibility: 'public', memberIds: [first.id] });
    await t.client.post(`/groups/${group.id}/members`, { userIds: [second.id] }, owner.token);

    assert.equal((await t.client.delete(`/groups/${group.id}/members/${owner.id}`, owner.token)).status, 204);
    assert.equal(await roleOf(t, group.id, owner.id), null);
    assert.equal(await roleOf(t, group.id, first.id), 'owner');
    assert.equal(await roleOf(t, group.id, second.id), 'member');

    // the new owner may now do what only the owner may
    const readd = await t.client.post(`/groups/${group.id}/members`, { userIds: [owner.id] }, first.token);
    assert.equal(readd.status, 200);
    assert.equal((await t.client.delete(`/groups/${group.id}/members/${owner.id}`, first.token)).status, 204);

    assert.equal((await t.client.delete(`/groups/${group.id}/members/${first.id}`, first.token)).status, 204);
    assert.equal(await roleOf(t, group.id, second.id), 'owner');
    const live = await t.prisma.conversation.findUniqueOrThrow({ where: { id: group.id } });
    assert.equal(live.archivedAt, null);

    assert.equal((await t.client.delete(`/groups/${group.id}/members/${second.id}`, second.token)).status, 204);
    const archived = await t.prisma.conversation.findUniqueOrThrow({ where: { id: group.id } });
    assert.ok(archived.archivedAt instanceof Date);
    assert.equal(await t.prisma.membership.count({ where: { conversationId: group.id } }), 0);

    // an archived group is gone for everyone: no join, no search, no list
    const join = await t.client.post(`/groups/${group.id}/join`, undefined, owner.token);
    assert.equal(join.status, 404);
    const found = await t.client.get(`/groups?q=${encodeURIComponent(group.name)}`, owner.token);
    assert.ok(!found.body.items.some((g: { id: string }) => g.id === group.id));
  });

  test('MembershipService reports who was added, removed and updated, and hand-over', async () => {
    const service = t.app.get(MembershipService);
    const [owner, a, b] = await people(t, 3);
    const created = await service.createGroup(owner.id, { name: 'reported', visibility: 'public', memberIds: [a.id], ephemeral: false });
    assert.deepEqual(created.change.added.sort(), [owner.id, a.id].sort());
    const id = created.conversation.id;

    const joined = await service.join(b.id, id);
    assert.deepEqual(joined.change.added, [b.id]);
    assert.deepEqual(joined.change.updated.sort(), [owner.id, a.id].sort());
    assert.equal(joined.conversation.memberCount, 3);
    assert.equal((await service.join(b.id, id)).change.added.length, 0);

    const left = await service.removeMember(owner.id, id, owner.id);
    assert.deepEqual(left.removed, [owner.id]);
    assert.deepEqual(left.updated.sort(), [a.id, b.id].sort());
    assert.ok(left.newOwnerId === a.id || left.newOwnerId === b.id);
    assert.equal(left.newOwnerId, a.id, 'a joined at creation, before b');
    assert.equal(left.archived, false);

    const kicked = await service.removeMember(a.id, id, b.id);
    assert.deepEqual([kicked.removed, kicked.updated, kicked.newOwnerId], [[b.id], [a.id], null]);
    const last = await service.removeMember(a.id, id, a.id);
    assert.deepEqual([last.updated, last.archived, last.newOwnerId], [[], true, null]);
  });

  test('a removed member loses the group: members list 404 (private), gone from the conversation list', async () => {
    const [owner, gone] = await people(t, 2);
    const group = await createGroup(t, owner, { memberIds: [gone.id] });
    assert.equal((await t.client.get(`/groups/${group.id}/members`, gone.token)).status, 200);
    assert.equal((await t.client.delete(`/groups/${group.id}/members/${gone.id}`, owner.token)).status, 204);
    const members = await t.client.get(`/groups/${group.id}/members`, gone.token);
    assert.equal(members.status, 404);
    const list = await t.client.get('/conversations', gone.token);
    assert.ok(!list.body.items.some((c: { id: string }) => c.id === group.id));
    const ownerView = (await t.client.get('/conversations', owner.token)).body.items.find((c: { id: string }) => c.id === group.id);
    assert.equal(ownerView.memberCount, 1);
  });

  test('nobody leaves `all` or is removed from it, and the answer says so', async () => {
    const [me, other] = await people(t, 2);
    const all = await allConversationId(t);
    for (const [caller, target] of [
      [me, me],
      [me, other],
    ]) {
      const res = await t.client.delete(`/groups/${all}/members/${target.id}`, caller.token);
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'forbidden');
      assert.match(res.body.error.message, /all conversation/);
    }
    assert.equal(await roleOf(t, all, me.id), 'member');
    assert.equal(await roleOf(t, all, other.id), 'member');
  });

  test('removing someone who is not a member is a 404, a malformed id a 400 naming userId; both change nothing', async () => {
    const [owner, stranger] = await people(t, 2);
    const group = await createGroup(t, owner);
    const before = await snapshot(t, group.id);
    const res = await t.client.delete(`/groups/${group.id}/members/${stranger.id}`, owner.token);
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
    const malformed = await t.client.delete(`/groups/${group.id}/members/not-an-id`, owner.token);
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.fields.userId, 'must be an id');
    assert.equal(await snapshot(t, group.id), before);
  });

  test('twenty concurrent joins make twenty members and no duplicates', async () => {
    const owner = await person(t);
    const group = await createGroup(t, owner, { visibility: 'public' });
    const joiners = await people(t, 20);
    // the first joiner also races itself
    const calls = [...joiners, joiners[0], joiners[0]].map((p) => t.client.post(`/groups/${group.id}/join`, undefined, p.token));
    const answers = await Promise.all(calls);
    for (const res of answers) assert.equal(res.status, 200, JSON.stringify(res.body));
    const rows = await t.prisma.membership.findMany({ where: { conversationId: group.id } });
    assert.equal(rows.length, 21);
    assert.equal(new Set(rows.map((r) => r.userId)).size, 21);
    assert.equal(rows.filter((r) => r.role === 'owner').length, 1);
    const view = await t.client.post(`/groups/${group.id}/join`, undefined, joiners[5].token);
    assert.equal(view.body.memberCount, 21);
    const stored = await t.prisma.conversation.findUniqueOrThrow({ where: { id: group.id } });
    assert.equal(stored.memberCount, 21, 'the trigger-kept count matches the rows');
  });

  test('members list: role, online state, joining order, pages', async () => {
    const [owner, a, b] = await people(t, 3);
    const group = await createGroup(t, owner, { memberIds: [a.id] });
    await t.client.post(`/groups/${group.id}/members`, { userIds: [b.id] }, owner.token);
    const presence = t.app.get(PresenceStore);
    await presence.socketConnected(b.id);
    try {
      const seen: Array<{ id: string; role: string; online: boolean }> = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `/groups/${group.id}/members?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await t.client.get(query, a.token);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        seen.push(...res.body.items.map((m: any) => ({ id: m.user.id, role: m.role, online: m.user.online })));
        for (const m of res.body.items) assert.ok(!Number.isNaN(Date.parse(m.joinedAt)));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 5);
      assert.equal(pages, 2);
      assert.equal(seen.length, 3);
      assert.deepEqual(seen[2], { id: b.id, role: 'member', online: true }, 'b joined last');
      assert.deepEqual(seen.find((m) => m.id === owner.id), { id: owner.id, role: 'owner', online: false });
    } finally {
      await presence.socketDisconnected(b.id);
    }
    const bad = await t.client.get(`/groups/${group.id}/members?cursor=garbage`, a.token);
    assert.equal(bad.status, 400);
    assert.ok(bad.body.error.fields.cursor);
  });

  test('group search: public groups and my own, never someone else\'s private group', async () => {
    const tag = `grp${randomBytes(4).toString('hex')}`;
    const [alice, bob, carol] = await people(t, 3);
    const open = await createGroup(t, alice, { name: `${tag} open`, visibility: 'public' });
    const secret = await createGroup(t, alice, { name: `${tag} secret` });
    const bobs = await createGroup(t, bob, { name: `Bob ${tag.toUpperCase()}` });
    const names = async (who: typeof alice, q = tag) => {
      const res = await t.client.get(`/groups?q=${encodeURIComponent(q)}`, who.token);
      assert.equal(res.status, 200);
      return res.body.items.map((g: { id: string }) => g.id);
    };
    assert.deepEqual(await names(alice), [open.id, secret.id]);
    assert.deepEqual(await names(bob), [open.id, bobs.id], 'prefix matches first, case-insensitive');
    assert.deepEqual(await names(carol), [open.id]);
    const row = (await t.client.get(`/groups?q=${tag}`, carol.token)).body.items[0];
    assert.deepEqual(row, { id: open.id, kind: 'group', name: `${tag} open`, visibility: 'public', memberCount: 1, role: null });
    // wildcards are literal
    assert.deepEqual(await names(alice, `${tag}%`), []);
    // pages
    const first = await t.client.get(`/groups?q=${tag}&limit=1`, alice.token);
    assert.deepEqual(first.body.items.map((g: { id: string }) => g.id), [open.id]);
    const second = await t.client.get(`/groups?q=${tag}&limit=1&cursor=${first.body.nextCursor}`, alice.token);
    assert.deepEqual(second.body.items.map((g: { id: string }) => g.id), [secret.id]);
    assert.equal(second.body.nextCursor, null);
  });
});
