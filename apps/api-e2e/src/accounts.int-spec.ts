import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AUTH_COOKIE } from '@chatbox/contracts';
import { createTestApp, TestApp, uniqueUsername } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

describe('accounts', () => {
  let t: TestApp;
  before(async () => (t = await createTestApp(ApiModule)));
  after(() => t.close());

  const userCount = (usernameKey: string) => t.prisma.user.count({ where: { usernameKey } });

  test('register answers 201 with the user and a token, and sets an httpOnly cookie', async () => {
    const username = uniqueUsername('Reg');
    const res = await t.client.post('/auth/register', { username, password: 'a long password', displayName: 'Reg Ister' });
    assert.equal(res.status, 201);
    assert.equal(res.body.user.username, username);
    assert.equal(res.body.user.displayName, 'Reg Ister');
    assert.equal(typeof res.body.accessToken, 'string');
    const cookie = res.headers.get('set-cookie') ?? '';
    assert.match(cookie, new RegExp(`^${AUTH_COOKIE}=`));
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
  });

  test('displayName defaults to the username', async () => {
    const { user } = await t.client.registerUser();
    assert.equal(user.displayName, user.username);
  });

  test('a username taken in another case is a 409 conflict and stores nothing', async () => {
    const username = uniqueUsername('Case');
    await t.client.registerUser({ username });
    const res = await t.client.post('/auth/register', { username: username.toUpperCase(), password: 'another password' });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'conflict');
    assert.equal(res.body.error.fields.username, 'is taken');
    assert.equal(await userCount(username.toLowerCase()), 1);
  });

  const badBodies: Array<[string, Record<string, unknown>, string]> = [
    ['username too short', { username: 'ab', password: 'long enough' }, 'username'],
    ['username too long', { username: 'x'.repeat(33), password: 'long enough' }, 'username'],
    ['username with a space', { username: 'has space', password: 'long enough' }, 'username'],
    ['username missing', { password: 'long enough' }, 'username'],
    ['username not a string', { username: 12345, password: 'long enough' }, 'username'],
    ['password too short', { username: 'shortpw_user', password: 'short' }, 'password'],
    ['password too long', { username: 'longpw_user', password: 'p'.repeat(129) }, 'password'],
    ['password missing', { username: 'nopw_user' }, 'password'],
    ['displayName empty', { username: 'emptydn_user', password: 'long enough', displayName: '   ' }, 'displayName'],
    ['displayName too long', { username: 'longdn_user', password: 'long enough', displayName: 'd'.repeat(65) }, 'displayName'],
    ['unknown field', { username: 'extra_user', password: 'long enough', admin: true }, 'admin'],
  ];
  for (const [name, body, field] of badBodies) {
    test(`register with ${name} is a 400 naming "${field}" and stores nothing`, async () => {
      const before = await t.prisma.user.count();
      const res = await t.client.post('/auth/register', body);
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'validation_failed');
      assert.ok(res.body.error.fields[field], `fields should name ${field}: ${JSON.stringify(res.body.error)}`);
      if (typeof body.username === 'string') assert.equal(await userCount(body.username.toLowerCase()), 0);
      assert.ok((await t.prisma.user.count()) >= before); // other files may register in parallel
    });
  }

  test('malformed JSON is a 400 naming the body', async () => {
    const res = await t.client.request('POST', '/auth/register', { rawBody: '{"username":' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'validation_failed');
    assert.ok(res.body.error.fields.body);
  });

  test('login with the right password answers 200 with a working token', async () => {
    const { user, password } = await t.client.registerUser();
    const res = await t.client.post('/auth/login', { username: user.username.toUpperCase(), password });
    assert.equal(res.status, 200);
    assert.equal(res.body.user.id, user.id);
    const me = await t.client.get('/me', res.body.accessToken);
    assert.equal(me.status, 200);
    assert.deepEqual(me.body, { id: user.id, username: user.username, displayName: user.displayName, online: false, role: 'member', deactivated: false });
  });

  test('wrong password and unknown user get the identical 401', async () => {
    const { user } = await t.client.registerUser();
    const wrong = await t.client.post('/auth/login', { username: user.username, password: 'not the password' });
    const unknown = await t.client.post('/auth/login', { username: uniqueUsername('ghost'), password: 'not the password' });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.deepEqual({ ...wrong.body.error, requestId: 0 }, { ...unknown.body.error, requestId: 0 }); // ids differ per request
    assert.equal(wrong.body.error.code, 'unauthorized');
  });

  test('after logout the token answers 401', async () => {
    const { accessToken } = await t.client.registerUser();
    assert.equal((await t.client.get('/me', accessToken)).status, 200);
    assert.equal((await t.client.post('/auth/logout', undefined, accessToken)).status, 204);
    const me = await t.client.get('/me', accessToken);
    assert.equal(me.status, 401);
    assert.equal(me.body.error.code, 'unauthorized');
  });

  test('the cookie alone authenticates the browser', async () => {
    const { accessToken } = await t.client.registerUser();
    const me = await t.client.request('GET', '/me', { headers: { cookie: `${AUTH_COOKIE}=${accessToken}` } });
    assert.equal(me.status, 200);
  });

  test('no token, a garbage token and a token signed with another secret are 401', async () => {
    assert.equal((await t.client.get('/me')).status, 401);
    assert.equal((await t.client.get('/me', 'not-a-jwt')).status, 401);
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwic2lkIjoieSJ9.c2lnbmF0dXJlLW9mLWFub3RoZXI';
    assert.equal((await t.client.get('/me', forged)).status, 401);
  });

  test('the stored hash is bcrypt, not the password', async () => {
    const { user, password } = await t.client.registerUser();
    const row = await t.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    assert.match(row.passwordHash, /^\$2[aby]\$\d\d\$.{53}$/);
    assert.ok(!row.passwordHash.includes(password));
  });

  test('a new user is a member of the all conversation', async () => {
    const { user } = await t.client.registerUser();
    const all = await t.prisma.conversation.findFirstOrThrow({ where: { kind: 'all' } });
    const membership = await t.prisma.membership.findUnique({ where: { conversationId_userId: { conversationId: all.id, userId: user.id } } });
    assert.equal(membership?.role, 'member');
  });

  test('unknown routes answer the contract error body', async () => {
    const res = await t.client.get('/no-such-route');
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
  });

  test('health reports PostgreSQL and Redis', async () => {
    const res = await t.client.get('/health');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok', postgres: 'up', redis: 'up' });
  });
});
