import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TAuthResponse } from '@chatbox/contracts';
import { createDirect, createTestApp, TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

type Method = 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
type Endpoint = { method: Method; path: (ids: { conv: string; user: string }) => string; body?: (ids: { conv: string; user: string }) => unknown };

/** Every endpoint of the contract that needs a caller. */
const AUTHED: Endpoint[] = [
  { method: 'GET', path: () => '/me' },
  { method: 'POST', path: () => '/auth/logout' },
  { method: 'POST', path: () => '/auth/password', body: () => ({ currentPassword: 'correct horse battery', newPassword: 'tram-violet-otter-42' }) },
  { method: 'GET', path: () => '/users?q=a' },
  { method: 'GET', path: () => '/users/online' },
  { method: 'POST', path: () => '/conversations/direct', body: (i) => ({ userId: i.user }) },
  { method: 'GET', path: () => '/conversations' },
  { method: 'POST', path: () => '/groups', body: () => ({ name: 'sneaky group' }) },
  { method: 'GET', path: () => '/groups?q=secret' },
  { method: 'POST', path: (i) => `/groups/${i.conv}/join` },
  { method: 'GET', path: (i) => `/groups/${i.conv}/members` },
  { method: 'POST', path: (i) => `/groups/${i.conv}/members`, body: (i) => ({ userIds: [i.user] }) },
  { method: 'DELETE', path: (i) => `/groups/${i.conv}/members/${i.user}` },
  { method: 'GET', path: (i) => `/conversations/${i.conv}/messages` },
  { method: 'GET', path: (i) => `/conversations/${i.conv}/changes` },
  { method: 'GET', path: (i) => `/conversations/${i.conv}/receipts` },
  { method: 'PATCH', path: () => '/me', body: () => ({ shareReadReceipts: false }) },
  { method: 'PATCH', path: (i) => `/conversations/${i.conv}/messages/${i.user}`, body: () => ({ body: 'rewritten' }) },
  { method: 'DELETE', path: (i) => `/conversations/${i.conv}/messages/${i.user}` },
  { method: 'PUT', path: (i) => `/conversations/${i.conv}/messages/${i.user}/reactions/%F0%9F%91%8D` },
  { method: 'DELETE', path: (i) => `/conversations/${i.conv}/messages/${i.user}/reactions/%F0%9F%91%8D` },
  { method: 'POST', path: (i) => `/conversations/${i.conv}/messages`, body: () => ({ clientMsgId: 'x-1', body: 'intrusion' }) },
  { method: 'POST', path: (i) => `/conversations/${i.conv}/read`, body: () => ({ seq: 1 }) },
  { method: 'PUT', path: (i) => `/users/${i.user}/block` },
  { method: 'DELETE', path: (i) => `/users/${i.user}/block` },
  { method: 'GET', path: () => '/me/blocks' },
];
const SCOPED = AUTHED.filter((e) => e.path({ conv: 'CONV', user: 'U' }).includes('CONV'));

describe('security: authorization on every endpoint', () => {
  let t: TestApp;
  let owner: TAuthResponse & { password: string };
  let friend: TAuthResponse & { password: string };
  let outsider: TAuthResponse & { password: string };
  let privateGroup: string;
  let direct: string;
  const SECRET_NAME = `secret-plans-${Date.now()}`;
  const SECRET_BODY = `the secret body ${Date.now()}`;

  before(async () => {
    t = await createTestApp(ApiModule);
    [owner, friend, outsider] = [await t.client.registerUser(), await t.client.registerUser(), await t.client.registerUser()];
    const group = await t.client.post('/groups', { name: SECRET_NAME, visibility: 'private', memberIds: [friend.user.id] }, owner.accessToken);
    assert.equal(group.status, 201);
    privateGroup = group.body.id;
    direct = await createDirect(t.prisma, owner.user.id, friend.user.id);
    for (const conv of [privateGroup, direct]) {
      const sent = await t.client.post(`/conversations/${conv}/messages`, { clientMsgId: `s-${conv}`, body: SECRET_BODY }, owner.accessToken);
      assert.equal(sent.status, 201);
    }
  });
  after(() => t.close());

  /** Everything any of these calls could change, for the three users and the two conversations. */
  const state = async () => {
    const users = [owner.user.id, friend.user.id, outsider.user.id];
    const [memberships, messages, sessions, conversations, hashes] = await Promise.all([
      t.prisma.membership.findMany({ where: { userId: { in: users } }, orderBy: [{ conversationId: 'asc' }, { userId: 'asc' }], select: { conversationId: true, userId: true, role: true, readSeq: true } }),
      t.prisma.message.count({ where: { senderId: { in: users } } }),
      t.prisma.session.count({ where: { userId: { in: users } } }),
      t.prisma.conversation.count({ where: { memberships: { some: { userId: { in: users } } } } }),
      t.prisma.user.findMany({ where: { id: { in: users } }, orderBy: { id: 'asc' }, select: { passwordHash: true } }),
    ]);
    return JSON.stringify({ memberships, messages, sessions, conversations, hashes });
  };

  const call = (ep: Endpoint, ids: { conv: string; user: string }, headers: Record<string, string>) =>
    t.client.request(ep.method, ep.path(ids), { headers, body: ep.body?.(ids) });

  for (const ep of AUTHED) {
    const label = `${ep.method} ${ep.path({ conv: ':id', user: ':userId' })}`;
    test(`${label} without a token, or with a garbage or cookie-less forged token: 401, nothing changed`, async () => {
      const before = await state();
      const ids = { conv: privateGroup, user: friend.user.id };
      for (const headers of [{} as Record<string, string>, { authorization: 'Bearer nonsense' }, { authorization: `Bearer ${owner.accessToken.slice(0, -3)}AAA` }, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }]) {
        const res = await call(ep, ids, headers);
        assert.equal(res.status, 401, `${label} ${JSON.stringify(headers)}`);
        assert.equal(res.body.error.code, 'unauthorized');
        assert.doesNotMatch(JSON.stringify(res.body), new RegExp(`${SECRET_NAME}|${SECRET_BODY}`));
      }
      assert.equal(await state(), before);
    });
  }

  for (const ep of SCOPED) {
    const label = `${ep.method} ${ep.path({ conv: ':id', user: ':userId' })}`;
    test(`${label} by an outsider on a private group, a direct chat, a guessed id and a malformed id: 404, nothing changed or leaked`, async () => {
      const before = await state();
      for (const conv of [privateGroup, direct, randomUUID(), `${privateGroup}'--`, '00000000-0000-0000-0000-000000000000']) {
        const res = await call(ep, { conv, user: friend.user.id }, { authorization: `Bearer ${outsider.accessToken}` });
        assert.ok(res.status === 404 || res.status === 400, `${label} on ${conv}: ${res.status} ${JSON.stringify(res.body)}`);
        if (conv === privateGroup || conv === direct) assert.equal(res.status, 404, `${label} must hide ${conv}`);
        assert.doesNotMatch(JSON.stringify(res.body), new RegExp(`${SECRET_NAME}|${SECRET_BODY}|${friend.user.username}`));
      }
      assert.equal(await state(), before);
    });
  }

  test('the outsider\'s lists and searches show none of the private conversations', async () => {
    const convs = await t.client.get('/conversations', outsider.accessToken);
    assert.equal(convs.status, 200);
    assert.ok(!convs.body.items.some((c: { id: string }) => c.id === privateGroup || c.id === direct));
    const groups = await t.client.get(`/groups?q=${encodeURIComponent(SECRET_NAME)}`, outsider.accessToken);
    assert.equal(groups.status, 200);
    assert.equal(groups.body.items.length, 0);
    assert.doesNotMatch(JSON.stringify([convs.body, groups.body]), new RegExp(`${SECRET_NAME}|${SECRET_BODY}`));
  });

  test('a member removed from a group loses history and sending at once', async () => {
    const removed = await t.client.delete(`/groups/${privateGroup}/members/${friend.user.id}`, owner.accessToken);
    assert.equal(removed.status, 204);
    const history = await t.client.get(`/conversations/${privateGroup}/messages`, friend.accessToken);
    assert.equal(history.status, 404);
    const before = await t.prisma.message.count({ where: { conversationId: privateGroup } });
    const sent = await t.client.post(`/conversations/${privateGroup}/messages`, { clientMsgId: 'after-removal', body: 'hi' }, friend.accessToken);
    assert.equal(sent.status, 404);
    assert.equal(await t.prisma.message.count({ where: { conversationId: privateGroup } }), before);
  });

  test('message bodies are stored and answered verbatim as text, never as HTML', async () => {
    const html = '<img src=x onerror=alert(1)><script>alert(document.cookie)</script>';
    const res = await t.client.post(`/conversations/${direct}/messages`, { clientMsgId: 'xss-1', body: html }, owner.accessToken);
    assert.equal(res.status, 201);
    assert.equal(res.body.body, html);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const row = await t.prisma.message.findUniqueOrThrow({ where: { id: res.body.id } });
    assert.equal(row.body, html);
  });
});
