import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, TestApp, uniqueUsername } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

const fullwidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('security: accounts and passwords', () => {
  let t: TestApp;
  before(async () => (t = await createTestApp(ApiModule)));
  after(() => t.close());

  const usersNamed = (name: string) => t.prisma.user.count({ where: { usernameKey: name.normalize('NFKC').toLowerCase() } });
  const sessionsOf = (userId: string) => t.prisma.session.count({ where: { userId } });
  const hashOf = async (userId: string) => (await t.prisma.user.findUniqueOrThrow({ where: { id: userId } })).passwordHash;

  test('a fullwidth username colliding with an existing one after NFKC is 409 and stores nothing', async () => {
    const name = uniqueUsername('alice');
    await t.client.registerUser({ username: name });
    const res = await t.client.post('/auth/register', { username: fullwidth(name), password: 'tram-violet-otter-42' });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'conflict');
    assert.equal(res.body.error.fields.username, 'is taken');
    assert.equal(await usersNamed(name), 1);
    // And the fullwidth form logs in to the same account: one identity, not two.
    const login = await t.client.post('/auth/login', { username: fullwidth(name.toUpperCase()), password: 'correct horse battery' });
    assert.equal(login.status, 200);
    assert.equal(login.body.user.username, name);
  });

  test('look-alikes that NFKC does not fold into the allowed alphabet (Cyrillic а) are refused, not stored', async () => {
    const res = await t.client.post('/auth/register', { username: `\u0430lice_${Date.now()}`, password: 'tram-violet-otter-42' });
    assert.equal(res.status, 400);
    assert.ok(res.body.error.fields.username);
  });

  for (const [what, displayName] of [
    ['a NUL', 'bad\u0000name'],
    ['an escape sequence', 'bad\u001b[31mred'],
    ['a newline', 'two\nlines'],
    ['a DEL', 'del\u007fete'],
  ] as const) {
    test(`a displayName with ${what} is 400 naming displayName and stores nothing`, async () => {
      const username = uniqueUsername('ctl');
      const res = await t.client.post('/auth/register', { username, password: 'tram-violet-otter-42', displayName });
      assert.equal(res.status, 400);
      assert.ok(res.body.error.fields.displayName);
      assert.equal(await usersNamed(username), 0);
    });
  }

  for (const password of ['password123', 'Qwerty123', 'iloveyou1', '1q2w3e4r5t', 'ＰＡＳＳＷＯＲＤ１']) {
    test(`register with the common password ${JSON.stringify(password)} is 400 naming password and stores nothing`, async () => {
      const username = uniqueUsername('weak');
      const res = await t.client.post('/auth/register', { username, password });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'validation_failed');
      assert.match(res.body.error.fields.password, /common/);
      assert.equal(await usersNamed(username), 0);
    });
  }

  test('two 100-character passwords sharing their first 80 characters are different passwords', async () => {
    const prefix = 'Z'.repeat(80);
    const { user } = await t.client.registerUser({ password: `${prefix}-first-password-tail` });
    const res = await t.client.post('/auth/login', { username: user.username, password: `${prefix}-other-password-tail` });
    assert.equal(res.status, 401);
    assert.equal(await sessionsOf(user.id), 1);
  });

  test('password change revokes every session of the user; the caller continues on a fresh one', async () => {
    const reg = await t.client.registerUser();
    const second = await t.client.post('/auth/login', { username: reg.user.username, password: reg.password });
    assert.equal(await sessionsOf(reg.user.id), 2);
    const res = await t.client.post('/auth/password', { currentPassword: reg.password, newPassword: 'tram-violet-otter-42' }, reg.accessToken);
    assert.equal(res.status, 200);
    assert.equal(res.body.user.id, reg.user.id);
    assert.equal(await sessionsOf(reg.user.id), 1);
    assert.equal((await t.client.get('/me', reg.accessToken)).status, 401);
    assert.equal((await t.client.get('/me', second.body.accessToken)).status, 401);
    assert.equal((await t.client.get('/me', res.body.accessToken)).status, 200);
    assert.equal((await t.client.post('/auth/login', { username: reg.user.username, password: reg.password })).status, 401);
    assert.equal((await t.client.post('/auth/login', { username: reg.user.username, password: 'tram-violet-otter-42' })).status, 200);
  });

  test('password change with a wrong current password is 400 naming currentPassword and changes nothing', async () => {
    const reg = await t.client.registerUser();
    const hash = await hashOf(reg.user.id);
    const res = await t.client.post('/auth/password', { currentPassword: 'not my password', newPassword: 'tram-violet-otter-42' }, reg.accessToken);
    assert.equal(res.status, 400);
    assert.ok(res.body.error.fields.currentPassword);
    assert.equal(await hashOf(reg.user.id), hash);
    assert.equal(await sessionsOf(reg.user.id), 1);
  });

  for (const [name, body, field] of [
    ['a common new password', { currentPassword: 'correct horse battery', newPassword: 'letmein123' }, 'newPassword'],
    ['a short new password', { currentPassword: 'correct horse battery', newPassword: 'short' }, 'newPassword'],
    ['a 129-character new password', { currentPassword: 'correct horse battery', newPassword: 'p'.repeat(129) }, 'newPassword'],
    ['the same password again', { currentPassword: 'correct horse battery', newPassword: 'correct horse battery' }, 'newPassword'],
    ['a number as current password', { currentPassword: 12345678, newPassword: 'tram-violet-otter-42' }, 'currentPassword'],
    ['an unknown field', { currentPassword: 'correct horse battery', newPassword: 'tram-violet-otter-42', userId: 'x' }, 'userId'],
  ] as const) {
    test(`password change with ${name} is 400 naming ${field} and changes nothing`, async () => {
      const reg = await t.client.registerUser();
      const hash = await hashOf(reg.user.id);
      const res = await t.client.post('/auth/password', body, reg.accessToken);
      assert.equal(res.status, 400);
      assert.ok(res.body.error.fields[field], JSON.stringify(res.body));
      assert.equal(await hashOf(reg.user.id), hash);
      assert.equal((await t.client.get('/me', reg.accessToken)).status, 200);
    });
  }

  test('account endpoints without a token are 401 and change nothing', async () => {
    const reg = await t.client.registerUser();
    const hash = await hashOf(reg.user.id);
    for (const [method, path, body] of [
      ['GET', '/me', undefined],
      ['POST', '/auth/logout', undefined],
      ['POST', '/auth/password', { currentPassword: reg.password, newPassword: 'tram-violet-otter-42' }],
    ] as const) {
      const res = await t.client.request(method, path, { body });
      assert.equal(res.status, 401, `${method} ${path}`);
      assert.equal(res.body.error.code, 'unauthorized');
    }
    assert.equal(await hashOf(reg.user.id), hash);
    assert.equal(await sessionsOf(reg.user.id), 1);
  });

  const wrongTypes: unknown[] = [null, 42, true, [], {}, ['a'], { $ne: null }, Number.MAX_VALUE];
  for (const field of ['username', 'password', 'displayName'] as const) {
    test(`register with every wrong type in ${field} is 400 naming it and stores nothing`, async () => {
      for (const value of wrongTypes) {
        const username = uniqueUsername('wt');
        const body: Record<string, unknown> = { username, password: 'tram-violet-otter-42', displayName: 'Wrong Types' };
        body[field] = value;
        const res = await t.client.post('/auth/register', body);
        assert.equal(res.status, 400, `${field}=${JSON.stringify(value)}`);
        assert.ok(res.body.error.fields[field], `${field}=${JSON.stringify(value)}: ${JSON.stringify(res.body)}`);
        assert.equal(await usersNamed(username), 0);
      }
    });
  }

  for (const field of ['username', 'password'] as const) {
    test(`login with every wrong type in ${field} is 400 naming it and starts no session`, async () => {
      const reg = await t.client.registerUser();
      for (const value of wrongTypes) {
        const body: Record<string, unknown> = { username: reg.user.username, password: reg.password };
        body[field] = value;
        const res = await t.client.post('/auth/login', body);
        assert.equal(res.status, 400, `${field}=${JSON.stringify(value)}`);
        assert.ok(res.body.error.fields[field]);
      }
      assert.equal(await sessionsOf(reg.user.id), 1);
    });
  }
});
