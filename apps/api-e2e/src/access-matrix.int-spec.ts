import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';
import { allConversationId, createGroup, people, Person, roleOf, snapshot } from './support/chat-fixtures';

/**
 * The authorization matrix of the conversation-scoped endpoints (API.md "Access"): for each
 * endpoint and caller, the status, the error code, and what the database holds afterwards.
 */
type World = {
  owner: Person;
  member: Person;
  outsider: Person;
  newcomer: Person;
  pub: string;
  priv: string;
  direct: string;
  all: string;
};

type Caller = 'owner' | 'member' | 'outsider' | 'none';
type Target = 'pub' | 'priv' | 'direct' | 'all';

type Case = {
  endpoint: string;
  caller: Caller;
  on: Target;
  status: number;
  code?: string;
  /** Checks the change a successful call must make; absent: nothing may change. */
  changed?: (t: TestApp, w: World) => Promise<void>;
  call: (t: TestApp, w: World, id: string, token: string | undefined) => Promise<{ status: number; body: any }>;
};

const members = (t: TestApp, _w: World, id: string, token?: string) => t.client.get(`/groups/${id}/members`, token);
const add = (t: TestApp, w: World, id: string, token?: string) => t.client.post(`/groups/${id}/members`, { userIds: [w.newcomer.id] }, token);
const removeMember = (t: TestApp, w: World, id: string, token?: string) => t.client.delete(`/groups/${id}/members/${w.member.id}`, token);
const join = (t: TestApp, _w: World, id: string, token?: string) => t.client.post(`/groups/${id}/join`, undefined, token);
const leave = (who: Caller) => (t: TestApp, w: World, id: string, token?: string) =>
  t.client.delete(`/groups/${id}/members/${(who === 'none' ? w.member : w[who]).id}`, token);

const roleIs = (on: Target, user: keyof World, role: string | null) => async (t: TestApp, w: World) =>
  assert.equal(await roleOf(t, w[on] as string, (w[user] as Person).id), role);

const cases: Case[] = [
  // GET /groups/:id/members: members only
  { endpoint: 'GET members', caller: 'owner', on: 'pub', status: 200, call: members },
  { endpoint: 'GET members', caller: 'member', on: 'priv', status: 200, call: members },
  { endpoint: 'GET members', caller: 'outsider', on: 'pub', status: 403, code: 'forbidden', call: members },
  { endpoint: 'GET members', caller: 'outsider', on: 'priv', status: 404, code: 'not_found', call: members },
  { endpoint: 'GET members', caller: 'outsider', on: 'direct', status: 404, code: 'not_found', call: members },
  { endpoint: 'GET members', caller: 'none', on: 'pub', status: 401, code: 'unauthorized', call: members },
  // POST /groups/:id/members: owner only
  { endpoint: 'POST members', caller: 'owner', on: 'priv', status: 200, call: add, changed: roleIs('priv', 'newcomer', 'member') },
  { endpoint: 'POST members', caller: 'member', on: 'pub', status: 403, code: 'forbidden', call: add },
  { endpoint: 'POST members', caller: 'member', on: 'priv', status: 403, code: 'forbidden', call: add },
  { endpoint: 'POST members', caller: 'outsider', on: 'pub', status: 403, code: 'forbidden', call: add },
  { endpoint: 'POST members', caller: 'outsider', on: 'priv', status: 404, code: 'not_found', call: add },
  { endpoint: 'POST members', caller: 'outsider', on: 'direct', status: 404, code: 'not_found', call: add },
  { endpoint: 'POST members', caller: 'member', on: 'direct', status: 403, code: 'forbidden', call: add },
  { endpoint: 'POST members', caller: 'member', on: 'all', status: 403, code: 'forbidden', call: add },
  { endpoint: 'POST members', caller: 'none', on: 'priv', status: 401, code: 'unauthorized', call: add },
  // DELETE /groups/:id/members/:member (removing someone else): owner only
  { endpoint: 'DELETE other', caller: 'owner', on: 'priv', status: 204, call: removeMember, changed: roleIs('priv', 'member', null) },
  { endpoint: 'DELETE other', caller: 'owner', on: 'all', status: 403, code: 'forbidden', call: removeMember },
  { endpoint: 'DELETE other', caller: 'outsider', on: 'pub', status: 403, code: 'forbidden', call: removeMember },
  { endpoint: 'DELETE other', caller: 'outsider', on: 'priv', status: 404, code: 'not_found', call: removeMember },
  { endpoint: 'DELETE other', caller: 'outsider', on: 'all', status: 403, code: 'forbidden', call: removeMember },
  { endpoint: 'DELETE other', caller: 'none', on: 'priv', status: 401, code: 'unauthorized', call: removeMember },
  {
    endpoint: 'DELETE other',
    caller: 'member',
    on: 'pub',
    status: 403,
    code: 'forbidden',
    call: (t, w, id, token) => t.client.delete(`/groups/${id}/members/${w.owner.id}`, token),
  },
  // DELETE /groups/:id/members/:self (leave): anyone, for themself; never `all` or a direct chat
  { endpoint: 'leave', caller: 'owner', on: 'pub', status: 204, call: leave('owner'), changed: roleIs('pub', 'member', 'owner') },
  { endpoint: 'leave', caller: 'member', on: 'priv', status: 204, call: leave('member'), changed: roleIs('priv', 'member', null) },
  { endpoint: 'leave', caller: 'outsider', on: 'pub', status: 403, code: 'forbidden', call: leave('outsider') },
  { endpoint: 'leave', caller: 'outsider', on: 'priv', status: 404, code: 'not_found', call: leave('outsider') },
  { endpoint: 'leave', caller: 'member', on: 'direct', status: 403, code: 'forbidden', call: leave('member') },
  { endpoint: 'leave', caller: 'member', on: 'all', status: 403, code: 'forbidden', call: leave('member') },
  { endpoint: 'leave', caller: 'none', on: 'pub', status: 401, code: 'unauthorized', call: leave('none') },
  // POST /groups/:id/join: public groups only
  { endpoint: 'join', caller: 'outsider', on: 'pub', status: 200, call: join, changed: roleIs('pub', 'outsider', 'member') },
  { endpoint: 'join', caller: 'owner', on: 'pub', status: 200, call: join },
  { endpoint: 'join', caller: 'member', on: 'priv', status: 200, call: join },
  { endpoint: 'join', caller: 'outsider', on: 'priv', status: 404, code: 'not_found', call: join },
  { endpoint: 'join', caller: 'outsider', on: 'direct', status: 404, code: 'not_found', call: join },
  { endpoint: 'join', caller: 'none', on: 'pub', status: 401, code: 'unauthorized', call: join },
];

describe('authorization matrix', () => {
  let t: TestApp;
  before(async () => (t = await createTestApp(ApiModule)));
  after(() => t.close());

  async function world(): Promise<World> {
    const [owner, member, outsider, newcomer] = await people(t, 4);
    const pub = await createGroup(t, owner, { visibility: 'public', memberIds: [member.id] });
    const priv = await createGroup(t, owner, { visibility: 'private', memberIds: [member.id] });
    const direct = await t.client.post('/conversations/direct', { userId: member.id }, owner.token);
    assert.equal(direct.status, 201);
    return { owner, member, outsider, newcomer, pub: pub.id, priv: priv.id, direct: direct.body.id, all: await allConversationId(t) };
  }

  for (const c of cases) {
    test(`${c.endpoint} by ${c.caller} on ${c.on}: ${c.status}${c.code ? ` ${c.code}` : ''}`, async () => {
      const w = await world();
      const id = w[c.on];
      const token = c.caller === 'none' ? undefined : w[c.caller].token;
      // `all` is shared with every test running at once: only this world's rows in it are compared
      const watched = [w.pub, w.priv, w.direct];
      const before = await Promise.all(watched.map((cid) => snapshot(t, cid)));
      const allRowsBefore = await allMemberships(t, w);
      const res = await c.call(t, w, id, token);
      assert.equal(res.status, c.status, JSON.stringify(res.body));
      if (c.code) {
        assert.equal(res.body.error.code, c.code);
        assert.ok(res.body.error.message.length > 0);
      }
      assert.deepEqual(await allMemberships(t, w), allRowsBefore, 'memberships of all changed');
      const after = await Promise.all(watched.map((cid) => snapshot(t, cid)));
      if (c.changed) await c.changed(t, w);
      else assert.deepEqual(after, before, 'nothing may change');
    });
  }

  test('the `all` refusal says why', async () => {
    const w = await world();
    const res = await t.client.delete(`/groups/${w.all}/members/${w.member.id}`, w.member.token);
    assert.equal(res.status, 403);
    assert.match(res.body.error.message, /all/);
  });

  test('every endpoint of people and groups needs a token', async () => {
    const w = await world();
    const calls = [
      t.client.get('/users?q=a'),
      t.client.get('/users/online'),
      t.client.get('/groups?q=a'),
      t.client.post('/groups', { name: 'nope' }),
      t.client.get('/conversations'),
      t.client.post('/conversations/direct', { userId: w.member.id }),
    ];
    for (const res of await Promise.all(calls)) {
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'unauthorized');
    }
  });
});

async function allMemberships(t: TestApp, w: World): Promise<string> {
  const rows = await t.prisma.membership.findMany({
    where: { conversationId: w.all, userId: { in: [w.owner.id, w.member.id, w.outsider.id, w.newcomer.id] } },
    orderBy: { userId: 'asc' },
  });
  return JSON.stringify(rows);
}
