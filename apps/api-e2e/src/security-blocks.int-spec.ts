import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TAuthResponse, TErrorBody, TSendAck } from '@chatbox/contracts';
import { connectSocket, createDirect, createGroup, createTestApp, RecordingSocket, TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

// Low limits for this file only (each test file runs in its own process); every test uses
// fresh users, and these limits count per user.
process.env.RATE_LIMIT_GROUP_CREATE_USER = '10/600';
process.env.RATE_LIMIT_MEMBER_ADD_USER = '12/600';

type User = TAuthResponse & { password: string };

/**
 * Issue 20, finding 4: anyone could add anyone to unlimited groups (60 private groups with the
 * victim in half a second, re-added at once after leaving). Group creation and additions are
 * rate limited per user; a block between two people stops adds, new direct conversations and
 * direct messages, in either direction.
 */
describe('security: unwanted additions and blocks', () => {
  let t: TestApp;
  const sockets: RecordingSocket[] = [];
  before(async () => {
    t = await createTestApp(ApiModule);
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await t?.close();
  });

  const register = () => t.client.registerUser();
  const put = (path: string, token: string) => t.client.request('PUT', path, { token });
  const assertRefused = (res: { status: number; body: TErrorBody }, status: number, code: string, what: string) => {
    assert.equal(res.status, status, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, code, what);
  };
  const groupsOf = (userId: string) => t.prisma.membership.count({ where: { userId, conversation: { kind: 'group' } } });
  const messagesIn = (conversationId: string) => t.prisma.message.count({ where: { conversationId } });
  const sendOverSocket = async (user: User, conversationId: string, clientMsgId: string): Promise<TSendAck | TErrorBody> => {
    const s = await connectSocket(t.baseUrl, user.accessToken);
    sockets.push(s);
    return s.socket.emitWithAck('message:send', { conversationId, clientMsgId, body: 'over the socket' });
  };

  describe('rate limits', () => {
    test('a burst of 60 private groups with the victim: 10 are created, the rest 429 rate_limited with Retry-After', async () => {
      const [attacker, victim] = [await register(), await register()];
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          t.client.post('/groups', { name: `forced group ${i}`, memberIds: [victim.user.id] }, attacker.accessToken),
        ),
      );
      const statuses = answers.map((a) => a.status);
      assert.equal(statuses.filter((s) => s === 201).length, 10, JSON.stringify(statuses));
      assert.equal(statuses.filter((s) => s === 429).length, 50, JSON.stringify(statuses));
      for (const refused of answers.filter((a) => a.status === 429)) {
        assert.equal(refused.body.error.code, 'rate_limited');
        const retryAfter = Number(refused.headers.get('retry-after'));
        assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 600, `Retry-After ${retryAfter}`);
      }
      assert.equal(await groupsOf(victim.user.id), 10);
      assert.equal(await groupsOf(attacker.user.id), 10);
      // the refused creations spent none of the addition budget (12, of which 10 went to the victim)
      const group = answers.find((a) => a.status === 201)!.body.id as string;
      const others = [(await register()).user.id, (await register()).user.id];
      assert.equal((await t.client.post(`/groups/${group}/members`, { userIds: others }, attacker.accessToken)).status, 200);
      // the limit is the attacker's: someone else still creates groups
      const other = await register();
      assert.equal((await t.client.post('/groups', { name: 'fine', memberIds: [victim.user.id] }, other.accessToken)).status, 201);
    });

    test('additions count per person added; a refused request adds nobody and spends nothing', async () => {
      const owner = await register();
      const people = await Promise.all(Array.from({ length: 14 }, () => register()));
      const ids = people.map((p) => p.user.id);
      const group = (await t.client.post('/groups', { name: 'big', memberIds: ids.slice(0, 5) }, owner.accessToken)).body.id as string;
      assert.equal((await t.client.post(`/groups/${group}/members`, { userIds: ids.slice(5, 9) }, owner.accessToken)).status, 200); // 9 of 12
      const tooMany = await t.client.post(`/groups/${group}/members`, { userIds: ids.slice(9, 13) }, owner.accessToken); // 13 > 12
      assertRefused(tooMany, 429, 'rate_limited', 'four more');
      assert.ok(Number(tooMany.headers.get('retry-after')) >= 1);
      assert.equal(await t.prisma.membership.count({ where: { conversationId: group } }), 10);
      assert.equal((await t.client.post(`/groups/${group}/members`, { userIds: ids.slice(9, 12) }, owner.accessToken)).status, 200); // 12 of 12
      assertRefused(await t.client.post(`/groups/${group}/members`, { userIds: [ids[13]] }, owner.accessToken), 429, 'rate_limited', 'one more');
      // creating a group with members spends the same budget
      assertRefused(await t.client.post('/groups', { name: 'more', memberIds: [ids[13]] }, owner.accessToken), 429, 'rate_limited', 'create with a member');
      assert.equal((await t.client.post('/groups', { name: 'alone' }, owner.accessToken)).status, 201);
    });

    test('re-adding someone at once after they leave counts each time, up to the limit', async () => {
      const [owner, victim] = [await register(), await register()];
      const group = await createGroup(t.prisma, owner.user.id, []);
      const statuses: number[] = [];
      for (let i = 0; i < 13; i++) {
        const res = await t.client.post(`/groups/${group}/members`, { userIds: [victim.user.id] }, owner.accessToken);
        statuses.push(res.status);
        if (res.status === 200) assert.equal((await t.client.delete(`/groups/${group}/members/${victim.user.id}`, victim.accessToken)).status, 204);
      }
      assert.deepEqual(statuses, [...Array(12).fill(200), 429]);
      assert.equal(await t.prisma.membership.count({ where: { conversationId: group, userId: victim.user.id } }), 0);
    });
  });

  describe('blocks', () => {
    /** blocker blocked blocked; a third person, and a direct conversation of the two from before the block. */
    async function blocked() {
      const [blocker, blockee, third] = [await register(), await register(), await register()];
      const direct = await createDirect(t.prisma, blocker.user.id, blockee.user.id);
      assert.equal((await put(`/users/${blockee.user.id}/block`, blocker.accessToken)).status, 204);
      return { blocker, blockee, third, direct };
    }

    test('PUT /users/:id/block and DELETE: 204 and idempotent; GET /me/blocks lists the blocked users', async () => {
      const [me, a, b] = [await register(), await register(), await register()];
      for (const id of [a.user.id, b.user.id, a.user.id]) assert.equal((await put(`/users/${id}/block`, me.accessToken)).status, 204);
      const list = await t.client.get('/me/blocks', me.accessToken);
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.items.map((u: { id: string }) => u.id).sort(), [a.user.id, b.user.id].sort());
      assert.deepEqual(Object.keys(list.body.items[0]).sort(), ['deactivated', 'displayName', 'id', 'online', 'role', 'username']);
      assert.deepEqual((await t.client.get('/me/blocks', a.accessToken)).body, { items: [] }, 'blocks are not visible to the blocked');
      for (let i = 0; i < 2; i++) assert.equal((await t.client.delete(`/users/${a.user.id}/block`, me.accessToken)).status, 204);
      assert.deepEqual((await t.client.get('/me/blocks', me.accessToken)).body.items.map((u: { id: string }) => u.id), [b.user.id]);
      // the same id in upper case is the same block
      assert.equal((await put(`/users/${b.user.id.toUpperCase()}/block`, me.accessToken)).status, 204);
      assert.equal(await t.prisma.userBlock.count({ where: { blockerId: me.user.id } }), 1);
    });

    test('blocking yourself, a malformed id or an unknown user: 400 naming id / 404, nothing stored', async () => {
      const me = await register();
      for (const id of [me.user.id, me.user.id.toUpperCase()]) {
        const self = await put(`/users/${id}/block`, me.accessToken);
        assertRefused(self, 400, 'validation_failed', 'self');
        assert.ok(self.body.error.fields?.id, JSON.stringify(self.body));
      }
      const malformed = await put('/users/not-an-id/block', me.accessToken);
      assertRefused(malformed, 400, 'validation_failed', 'malformed');
      assert.ok(malformed.body.error.fields?.id);
      assertRefused(await put(`/users/${randomUUID()}/block`, me.accessToken), 404, 'not_found', 'unknown');
      assert.equal(await t.prisma.userBlock.count({ where: { blockerId: me.user.id } }), 0);
    });

    test('the blocked user cannot add the blocker to a group: 403 naming them; a multi-user add stores nobody', async () => {
      const { blocker, blockee, third } = await blocked();
      const group = await createGroup(t.prisma, blockee.user.id, []);
      const single = await t.client.post(`/groups/${group}/members`, { userIds: [blocker.user.id] }, blockee.accessToken);
      assertRefused(single, 403, 'forbidden', 'single add');
      assert.match(single.body.error.message, new RegExp(blocker.user.id));
      const multi = await t.client.post(`/groups/${group}/members`, { userIds: [third.user.id, blocker.user.id] }, blockee.accessToken);
      assertRefused(multi, 403, 'forbidden', 'multi add');
      assert.equal(multi.body.error.fields?.userIds, `blocked: ${blocker.user.id}`);
      assert.equal(await t.prisma.membership.count({ where: { conversationId: group } }), 1, 'nobody was added');
      const created = await t.client.post('/groups', { name: 'forced', memberIds: [third.user.id, blocker.user.id] }, blockee.accessToken);
      assertRefused(created, 403, 'forbidden', 'create with the blocker');
      assert.equal(created.body.error.fields?.memberIds, `blocked: ${blocker.user.id}`);
      assert.equal(await groupsOf(blockee.user.id), 1, 'no group was created');
      assert.equal(await groupsOf(blocker.user.id), 0);
    });

    test('the block works both ways: the blocker cannot add the blocked user either', async () => {
      const { blocker, blockee } = await blocked();
      const group = await createGroup(t.prisma, blocker.user.id, []);
      assertRefused(await t.client.post(`/groups/${group}/members`, { userIds: [blockee.user.id] }, blocker.accessToken), 403, 'forbidden', 'add');
      assert.equal(await t.prisma.membership.count({ where: { conversationId: group } }), 1);
    });

    test('neither can start a direct conversation with the other: 403, none created', async () => {
      const [blocker, blockee] = [await register(), await register()];
      assert.equal((await put(`/users/${blockee.user.id}/block`, blocker.accessToken)).status, 204);
      for (const [from, to] of [[blockee, blocker], [blocker, blockee]] as const) {
        const res = await t.client.post('/conversations/direct', { userId: to.user.id }, from.accessToken);
        assertRefused(res, 403, 'forbidden', 'open direct');
      }
      assert.equal(await t.prisma.conversation.count({ where: { kind: 'direct', memberships: { some: { userId: blocker.user.id } } } }), 0);
    });

    test('no direct message either way, REST or socket: 403, nothing stored; groups they share are not affected', async () => {
      const { blocker, blockee, direct } = await blocked();
      for (const [who, sender] of [['blocked', blockee], ['blocker', blocker]] as const) {
        const rest = await t.client.post(`/conversations/${direct}/messages`, { clientMsgId: `rest-${who}`, body: 'hello?' }, sender.accessToken);
        assertRefused(rest, 403, 'forbidden', `REST send by the ${who}`);
        const ack = await sendOverSocket(sender, direct, `socket-${who}`);
        assert.ok('error' in ack, JSON.stringify(ack));
        assert.equal(ack.error.code, 'forbidden', `socket send by the ${who}`);
      }
      // a burst, so that the sends are stored together (the batch statement refuses them too)
      const burst = await Promise.all(
        Array.from({ length: 8 }, (_, i) => t.client.post(`/conversations/${direct}/messages`, { clientMsgId: `burst-${i}`, body: 'hi' }, blockee.accessToken)),
      );
      assert.deepEqual(burst.map((r) => r.status), Array(8).fill(403));
      assert.equal(await messagesIn(direct), 0);
      // the existing conversation stays readable, and opening it answers it
      assert.equal((await t.client.get(`/conversations/${direct}/messages`, blockee.accessToken)).status, 200);
      const reopened = await t.client.post('/conversations/direct', { userId: blocker.user.id }, blockee.accessToken);
      assert.equal(reopened.status, 200);
      assert.equal(reopened.body.id, direct);
      const shared = await createGroup(t.prisma, blocker.user.id, [blockee.user.id]);
      assert.equal((await t.client.post(`/conversations/${shared}/messages`, { clientMsgId: 'in-group', body: 'hi all' }, blockee.accessToken)).status, 201);
    });

    test('a block by the other side cannot be lifted by the blocked user', async () => {
      const { blocker, blockee, direct } = await blocked();
      assert.equal((await t.client.delete(`/users/${blocker.user.id}/block`, blockee.accessToken)).status, 204);
      assertRefused(await t.client.post(`/conversations/${direct}/messages`, { clientMsgId: 'still', body: 'x' }, blockee.accessToken), 403, 'forbidden', 'send');
    });

    test('unblocking restores adding, direct conversations and direct messages (REST and socket)', async () => {
      const { blocker, blockee, direct } = await blocked();
      assert.equal((await t.client.delete(`/users/${blockee.user.id}/block`, blocker.accessToken)).status, 204);
      assert.deepEqual((await t.client.get('/me/blocks', blocker.accessToken)).body, { items: [] });
      assert.equal((await t.client.post(`/conversations/${direct}/messages`, { clientMsgId: 'rest', body: 'back' }, blockee.accessToken)).status, 201);
      const ack = await sendOverSocket(blocker, direct, 'socket');
      assert.ok('message' in ack, JSON.stringify(ack));
      assert.equal(await messagesIn(direct), 2);
      const group = await createGroup(t.prisma, blockee.user.id, []);
      assert.equal((await t.client.post(`/groups/${group}/members`, { userIds: [blocker.user.id] }, blockee.accessToken)).status, 200);
      const [x, y] = [await register(), await register()];
      assert.equal((await put(`/users/${y.user.id}/block`, x.accessToken)).status, 204);
      assert.equal((await t.client.delete(`/users/${y.user.id}/block`, x.accessToken)).status, 204);
      assert.equal((await t.client.post('/conversations/direct', { userId: x.user.id }, y.accessToken)).status, 201);
    });
  });
});
