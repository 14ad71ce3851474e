import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TAuditEntry, TAuthResponse, TMessage, TPage, TUser } from '@chatbox/contracts';
import { loadConfig } from '@chatbox/server-config';
import { PrismaService } from '@chatbox/server-db';
import { allConversationId, connectSocket, RecordingSocket, uniqueUsername } from '@chatbox/server-testing';
import { ALIAS_HOOK, DIST_SERVER } from '@chatbox/tools';
import { ApiProcess, Cluster } from './support/cluster';

type Account = TAuthResponse & { password: string };

/**
 * API.md "Accounts and administration" on two api processes and a database of their own: the
 * first registration of this database is the first user ever, and changing who may register
 * cannot disturb the other test files.
 */
describe('administration', () => {
  const cluster = new Cluster();
  const sockets: RecordingSocket[] = [];
  let prisma: PrismaService;
  let api1: ApiProcess;
  let api2: ApiProcess;
  let admin: Account;

  before(async () => {
    await cluster.prepare();
    prisma = new PrismaService({ ...loadConfig(), databaseUrl: cluster.databaseUrl, databasePoolSize: 4 });
    [api1, api2] = await Promise.all([cluster.startApi('api1'), cluster.startApi('api2')]);
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await prisma.$disconnect();
    await cluster.stopAll();
  });

  const connect = async (api: ApiProcess, token: string) => {
    const s = await connectSocket(api.baseUrl, token);
    sockets.push(s);
    return s;
  };
  const member = () => api1.client.registerUser();
  const asAdmin = (method: string, path: string, body?: unknown) => api2.client.request(method, path, { token: admin.accessToken, body });
  const login = (u: { user: { username: string } }, password: string) => api1.client.post('/auth/login', { username: u.user.username, password });
  const closedWithin = (s: RecordingSocket) =>
    new Promise<number>((resolve) => {
      if (!s.socket.connected) return resolve(0);
      const start = Date.now();
      s.socket.once('disconnect', () => resolve(Date.now() - start));
    });

  test('the first user ever is the admin, also when several sign up at the same moment', async () => {
    const first = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? api1 : api2).client.registerUser()));
    const admins = first.filter((a) => a.user.role === 'admin');
    assert.equal(admins.length, 1, first.map((a) => a.user.role).join(','));
    admin = admins[0]!;
    assert.equal(await prisma.user.count({ where: { role: 'admin' } }), 1);
    assert.equal((await member()).user.role, 'member');
  });

  test('everything under /api/admin answers 403 to a member and 401 without a login', async () => {
    const m = await member();
    const target = await member();
    const routes: [string, string, unknown?][] = [
      ['GET', '/admin/users'],
      ['POST', `/admin/users/${target.user.id}/deactivate`],
      ['POST', `/admin/users/${target.user.id}/reactivate`],
      ['POST', `/admin/users/${target.user.id}/role`, { role: 'admin' }],
      ['POST', `/admin/users/${target.user.id}/password`],
      ['GET', '/admin/settings'],
      ['PATCH', '/admin/settings', { registration: 'closed' }],
      ['POST', '/admin/invites', {}],
      ['GET', '/admin/audit'],
    ];
    for (const [method, path, body] of routes) {
      const res = await api1.client.request(method, path, { token: m.accessToken, body });
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.body.error.code, 'forbidden');
      assert.equal((await api1.client.request(method, path, { body })).status, 401, `${method} ${path} without login`);
    }
    assert.equal((await api1.client.get<TUser>('/me', target.accessToken)).body.deactivated, false, 'nothing happened to the target');
    assert.equal((await api1.client.get('/admin/settings', admin.accessToken)).body.registration, 'open', 'nothing changed');
  });

  test('the user list finds people by name, deactivated ones included, with role and deactivated', async () => {
    const name = uniqueUsername('listed');
    const u = await api1.client.registerUser({ username: name });
    const found = await asAdmin('GET', `/admin/users?q=${name}`);
    assert.equal(found.status, 200);
    assert.deepEqual(found.body.items.map((x: TUser) => [x.id, x.role, x.deactivated]), [[u.user.id, 'member', false]]);
    assert.equal((await asAdmin('POST', `/admin/users/${u.user.id}/deactivate`)).status, 204);
    assert.deepEqual((await asAdmin('GET', `/admin/users?q=${name}`)).body.items.map((x: TUser) => x.deactivated), [true]);
    const page = await asAdmin('GET', '/admin/users?limit=2');
    assert.equal(page.body.items.length, 2);
    assert.ok(page.body.nextCursor);
    assert.equal((await asAdmin('GET', '/admin/users?limit=0')).body.error.fields.limit !== undefined, true);
  });

  test('deactivation closes every socket on every api process within a second, ends every session and refuses login; messages stay', async () => {
    const target = await member();
    const watcher = await member();
    const all = await allConversationId(prisma);
    const said = await api1.client.post<TMessage>(`/conversations/${all}/messages`, { clientMsgId: 'before-deactivation', body: 'still here afterwards' }, target.accessToken);
    assert.equal(said.status, 201);
    const secondLogin = (await login(target, target.password)).body.accessToken;
    const onApi1 = await connect(api1, target.accessToken);
    const onApi2 = await connect(api2, secondLogin);
    const closes = [closedWithin(onApi1), closedWithin(onApi2)];

    const res = await asAdmin('POST', `/admin/users/${target.user.id}/deactivate`);
    assert.equal(res.status, 204);
    const waited = await Promise.all(closes);
    assert.ok(waited.every((ms) => ms <= 1000), `sockets closed after ${waited.join(' and ')} ms`);

    for (const token of [target.accessToken, secondLogin]) {
      assert.equal((await api2.client.get('/conversations', token)).status, 401);
    }
    await assert.rejects(connectSocket(api1.baseUrl, target.accessToken), /unauthorized/);
    const refused = await login(target, target.password);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.reason, 'deactivated');
    const wrong = await login(target, 'not the password at all');
    assert.equal(wrong.status, 401, 'a wrong password learns nothing about the account');
    const search = await api1.client.get<TPage<TUser>>(`/users?q=${target.user.username}`, watcher.accessToken);
    assert.deepEqual(search.body.items, [], 'hidden from search');
    const history = await api1.client.get<TPage<TMessage>>(`/conversations/${all}/messages?limit=100`, watcher.accessToken);
    assert.ok(history.body.items.some((m) => m.id === said.body.id && m.body === 'still here afterwards'), 'the messages stay');
    assert.equal((await asAdmin('POST', `/admin/users/${target.user.id}/deactivate`)).status, 204, 'repeating is harmless');

    assert.equal((await asAdmin('POST', `/admin/users/${target.user.id}/reactivate`)).status, 204);
    const back = await login(target, target.password);
    assert.equal(back.status, 200);
    assert.equal(back.body.user.deactivated, false);
    const again = await api1.client.get<TPage<TUser>>(`/users?q=${target.user.username}`, watcher.accessToken);
    assert.deepEqual(again.body.items.map((u) => u.id), [target.user.id]);
  });

  test('roles: a new admin may administer at once, a revoked one no more; there is always one active admin', async () => {
    const m = await member();
    assert.equal((await asAdmin('POST', `/admin/users/${m.user.id}/role`, { role: 'boss' })).body.error.fields.role !== undefined, true);
    assert.equal((await asAdmin('POST', `/admin/users/${m.user.id}/role`, { role: 'admin' })).status, 204);
    assert.equal((await api1.client.get('/admin/settings', m.accessToken)).status, 200, 'the same login, now an admin');
    assert.equal((await api1.client.get<TUser>('/me', m.accessToken)).body.role, 'admin');
    assert.equal((await api1.client.post(`/admin/users/${m.user.id}/role`, { role: 'member' }, m.accessToken)).status, 204, 'steps down');
    assert.equal((await api1.client.get('/admin/settings', m.accessToken)).status, 403);

    const self = await asAdmin('POST', `/admin/users/${admin.user.id}/deactivate`);
    assert.equal(self.status, 409);
    const last = await asAdmin('POST', `/admin/users/${admin.user.id}/role`, { role: 'member' });
    assert.equal(last.status, 409, 'the last admin cannot step down');
    assert.equal((await asAdmin('POST', '/admin/users/00000000-0000-4000-8000-000000000000/deactivate')).status, 404);
    assert.equal((await asAdmin('POST', '/admin/users/not-an-id/deactivate')).body.error.fields.id, 'must be an id');
  });

  test('a password reset gives a one-time password: every login ends, and the next one may only choose a new password', async () => {
    const m = await member();
    const socket = await connect(api1, m.accessToken);
    const closed = closedWithin(socket);
    const reset = await asAdmin('POST', `/admin/users/${m.user.id}/password`);
    assert.equal(reset.status, 200);
    const oneTime: string = reset.body.password;
    assert.ok(oneTime.length >= 8);
    assert.ok((await closed) <= 1000);
    assert.equal((await api1.client.get('/conversations', m.accessToken)).status, 401);
    assert.equal((await login(m, m.password)).status, 401, 'the old password is gone');

    const first = await login(m, oneTime);
    assert.equal(first.status, 200);
    assert.equal(first.body.passwordChangeRequired, true);
    const token = first.body.accessToken;
    const blocked = await api1.client.get('/conversations', token);
    assert.equal(blocked.status, 403);
    assert.equal(blocked.body.error.reason, 'password_change_required');
    await assert.rejects(connectSocket(api2.baseUrl, token), /password_change_required/);
    assert.equal((await api1.client.get<TUser>('/me', token)).status, 200);

    const changed = await api1.client.post<TAuthResponse>('/auth/password', { currentPassword: oneTime, newPassword: 'a fresh secret of mine' }, token);
    assert.equal(changed.status, 200);
    assert.equal(changed.body.passwordChangeRequired, false);
    assert.equal((await api1.client.get('/conversations', changed.body.accessToken)).status, 200);
    assert.equal((await login(m, 'a fresh secret of mine')).body.passwordChangeRequired, false);
  });

  test('sign-up closed: register answers 403 and the sign-up page can tell', async () => {
    assert.equal((await asAdmin('PATCH', '/admin/settings', { registration: 'shut' })).body.error.fields.registration !== undefined, true);
    const res = await asAdmin('PATCH', '/admin/settings', { registration: 'closed' });
    try {
      assert.deepEqual(res.body, { registration: 'closed' });
      assert.deepEqual((await api1.client.get('/registration')).body, { registration: 'closed' });
      const refused = await api1.client.post('/auth/register', { username: uniqueUsername(), password: 'correct horse battery' });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.reason, 'registration_closed');
      assert.equal((await login(admin, admin.password)).status, 200, 'logging in still works');
    } finally {
      await asAdmin('PATCH', '/admin/settings', { registration: 'open' });
    }
  });

  test('invite-only: each invite registers exactly one account, until it expires', async () => {
    await asAdmin('PATCH', '/admin/settings', { registration: 'invite' });
    const register = (inviteCode?: string, api = api1) =>
      api.client.post('/auth/register', { username: uniqueUsername('invited'), password: 'correct horse battery', inviteCode });
    try {
      assert.equal((await asAdmin('POST', '/admin/invites', { expiresInHours: 0 })).body.error.fields.expiresInHours !== undefined, true);
      const without = await register();
      assert.equal(without.status, 403);
      assert.equal(without.body.error.reason, 'invite_required');
      assert.equal((await register('made-up-code')).body.error.reason, 'invite_invalid');

      const invite = await asAdmin('POST', '/admin/invites', { expiresInHours: 2 });
      assert.equal(invite.status, 201);
      const expiresIn = Date.parse(invite.body.expiresAt) - Date.now();
      assert.ok(expiresIn > 1.9 * 3600_000 && expiresIn <= 2 * 3600_000, invite.body.expiresAt);
      // two people with one code at the same moment: one account
      const both = await Promise.all([register(invite.body.code, api1), register(invite.body.code, api2)]);
      assert.deepEqual(both.map((r) => r.status).sort(), [201, 403]);
      assert.equal((await register(invite.body.code)).body.error.reason, 'invite_invalid', 'used up');

      const expiring = await asAdmin('POST', '/admin/invites', {});
      assert.ok(Date.parse(expiring.body.expiresAt) > Date.now() + 71 * 3600_000, 'the default is 72 hours');
      await prisma.invite.updateMany({ where: { usedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
      const late = await register(expiring.body.code);
      assert.equal(late.status, 403);
      assert.equal(late.body.error.reason, 'invite_invalid');
      assert.equal(await prisma.user.count({ where: { username: { startsWith: 'invited_' } } }), 1, 'nothing stored for a refused sign-up');
    } finally {
      await asAdmin('PATCH', '/admin/settings', { registration: 'open' });
    }
    const open = await register('ignored-while-open');
    assert.equal(open.status, 201);
  });

  test('moderation: an admin deletes anyone\'s message where a member may not', async () => {
    const [author, other] = await Promise.all([member(), member()]);
    const all = await allConversationId(prisma);
    const msg = await api1.client.post<TMessage>(`/conversations/${all}/messages`, { clientMsgId: 'to-moderate', body: 'something unkind' }, author.accessToken);
    const path = `/conversations/${all}/messages/${msg.body.id}`;
    assert.equal((await api1.client.delete(path, other.accessToken)).status, 403);
    assert.equal((await api1.client.delete(path, admin.accessToken)).status, 204);
    const stored = await prisma.message.findUniqueOrThrow({ where: { id: msg.body.id } });
    assert.ok(stored.deletedAt);
    assert.equal(stored.body, '');
  });

  test('every admin action is in the audit log, newest first, page by page, without secrets', async () => {
    const res = await asAdmin('GET', '/admin/audit?limit=100');
    assert.equal(res.status, 200);
    const entries: TAuditEntry[] = res.body.items;
    const actions = new Set(entries.map((e) => e.action));
    for (const a of ['user.deactivate', 'user.reactivate', 'user.role', 'user.password_reset', 'settings.update', 'invite.create', 'message.delete']) {
      assert.ok(actions.has(a as TAuditEntry['action']), `${a} in ${[...actions].join(', ')}`);
    }
    const times = entries.map((e) => Date.parse(e.createdAt));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    const del = entries.find((e) => e.action === 'message.delete')!;
    assert.equal(del.actor?.id, admin.user.id);
    assert.ok(del.target && typeof del.details.messageId === 'string');
    assert.ok(!JSON.stringify(entries).includes('something unkind'), 'no message text');
    assert.equal(entries.filter((e) => e.action === 'user.deactivate').length, 2, 'a repeated deactivation is not a second action');

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: TPage<TAuditEntry> } = await asAdmin('GET', `/admin/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(...page.body.items.map((e) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(pages, entries.map((e) => e.id));
  });

  test('npm run admin -- grant|revoke <username> on the server, audited as the server', async () => {
    const m = await member();
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: cluster.databaseUrl, REDIS_PREFIX: cluster.redisPrefix };
    delete env.NODE_TEST_CONTEXT; // a command, not a test file
    const cli = (action: string) =>
      promisify(execFile)(process.execPath, ['-r', ALIAS_HOOK, path.join(DIST_SERVER, 'tools/src/ops/admin.cli.js'), action, m.user.username], { env });
    assert.match((await cli('grant')).stdout, /is now an admin/);
    assert.equal((await api1.client.get('/admin/settings', m.accessToken)).status, 200);
    const audit: TAuditEntry[] = (await asAdmin('GET', '/admin/audit?limit=1')).body.items;
    assert.deepEqual([audit[0]!.action, audit[0]!.actor, audit[0]!.target?.id, audit[0]!.details], ['user.role', null, m.user.id, { role: 'admin' }]);
    assert.match((await cli('revoke')).stdout, /is now a member/);
    assert.equal((await api1.client.get('/admin/settings', m.accessToken)).status, 403);
    await assert.rejects(cli('promote'), /usage/);
  });
});
