import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AUTH_COOKIE, CSRF_HEADER, CSRF_HEADER_VALUE, TOKEN_DELIVERY_COOKIE_ONLY, TOKEN_DELIVERY_HEADER } from '@chatbox/contracts';
import { loadConfig } from '@chatbox/server-config';
import { createTestApp, TestApp, uniqueUsername } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

describe('security: HTTP hardening', () => {
  let t: TestApp;
  const webOrigin = loadConfig().webOrigin;
  before(async () => (t = await createTestApp(ApiModule)));
  after(() => t.close());

  const sessionCount = (userId: string) => t.prisma.session.count({ where: { userId } });
  const cookieOf = (token: string) => `${AUTH_COOKIE}=${token}`;

  test('answers carry security headers (helmet) and no framework banner', async () => {
    const res = await t.client.get('/health');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN');
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.match(res.headers.get('strict-transport-security') ?? '', /max-age=/);
    assert.equal(res.headers.get('x-powered-by'), null);
  });

  test('CORS: the web origin may call with credentials; a foreign origin gets no CORS grant', async () => {
    const ok = await t.client.request('OPTIONS', '/auth/login', {
      headers: { origin: webOrigin, 'access-control-request-method': 'POST', 'access-control-request-headers': `content-type,${CSRF_HEADER}` },
    });
    assert.equal(ok.headers.get('access-control-allow-origin'), webOrigin);
    assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');
    assert.match(ok.headers.get('access-control-allow-headers') ?? '', new RegExp(CSRF_HEADER));
    const evil = await t.client.request('OPTIONS', '/auth/login', {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.notEqual(evil.headers.get('access-control-allow-origin'), 'https://evil.example');
    assert.notEqual(evil.headers.get('access-control-allow-origin'), '*');
  });

  test('CSRF: a cookie-authenticated POST without the CSRF header is 403 and the session survives', async () => {
    const { user, accessToken } = await t.client.registerUser();
    const res = await t.client.request('POST', '/auth/logout', { headers: { cookie: cookieOf(accessToken), origin: webOrigin } });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'forbidden');
    assert.equal(await sessionCount(user.id), 1);
    assert.equal((await t.client.get('/me', accessToken)).status, 200);
  });

  test('CSRF: the CSRF header from a foreign Origin is 403; cross-site Sec-Fetch-Site is 403', async () => {
    const { user, accessToken } = await t.client.registerUser();
    const foreign = await t.client.request('POST', '/auth/logout', {
      headers: { cookie: cookieOf(accessToken), origin: 'https://evil.example', [CSRF_HEADER]: CSRF_HEADER_VALUE },
    });
    assert.equal(foreign.status, 403);
    const crossSite = await t.client.request('POST', '/auth/logout', {
      headers: { cookie: cookieOf(accessToken), 'sec-fetch-site': 'cross-site', [CSRF_HEADER]: CSRF_HEADER_VALUE },
    });
    assert.equal(crossSite.status, 403);
    assert.equal(await sessionCount(user.id), 1);
  });

  test('CSRF: the web origin with the CSRF header may log out through the cookie', async () => {
    const { user, accessToken } = await t.client.registerUser();
    const res = await t.client.request('POST', '/auth/logout', {
      headers: { cookie: cookieOf(accessToken), origin: webOrigin, 'sec-fetch-site': 'same-origin', [CSRF_HEADER]: CSRF_HEADER_VALUE },
    });
    assert.equal(res.status, 204);
    assert.equal(await sessionCount(user.id), 0);
  });

  test('CSRF: Bearer requests are exempt; a foreign Origin on login is refused (login CSRF) and starts no session', async () => {
    const { accessToken, user, password } = await t.client.registerUser();
    assert.equal((await t.client.post('/auth/logout', undefined, accessToken)).status, 204);
    const res = await t.client.request('POST', '/auth/login', {
      body: { username: user.username, password },
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('set-cookie'), null);
    assert.equal(await sessionCount(user.id), 0);
  });

  // The CSRF exemption holds only when the bearer token is what authenticates the request: an
  // Authorization header the token extractor does not read (odd whitespace, no token, another
  // scheme) leaves the cookie in charge, so the CSRF rules apply (issue 20, finding 7).
  const notABearerToken = ['Bearer\u00a0', 'Bearer\u00a0\u00a0', 'bearer\u00a0', 'Bearer \u00a0', 'Bearer\u0085', 'Bearer', 'Bearer ,x', 'Basic dXNlcjpwYXNz', 'Bearerx y'];
  test('CSRF: an Authorization header that does not authenticate does not exempt a cookie request', async () => {
    const answers: string[] = [];
    for (const authorization of notABearerToken) {
      const { user, accessToken } = await t.client.registerUser();
      const res = await t.client.request('POST', '/auth/logout', { headers: { cookie: cookieOf(accessToken), authorization, origin: webOrigin } });
      const sessions = await sessionCount(user.id);
      // refused either way: 403 by the CSRF check, or 401 when the header's "token" is tried and fails
      if (![401, 403].includes(res.status) || sessions !== 1) answers.push(`${JSON.stringify(authorization)} -> ${res.status}, ${sessions} session(s)`);
    }
    assert.deepEqual(answers, []);
  });

  test('CSRF: an invalid bearer token beside a valid cookie is 401: the cookie never stands in for it', async () => {
    const { user, accessToken } = await t.client.registerUser();
    for (const token of ['invalid', `${accessToken}x`, 'a.b.c']) {
      const res = await t.client.request('POST', '/auth/logout', { headers: { cookie: cookieOf(accessToken), authorization: `Bearer ${token}` } });
      assert.equal(res.status, 401, token);
    }
    assert.equal(await sessionCount(user.id), 1);
  });

  test('CSRF: a valid bearer token is exempt even beside a cookie', async () => {
    const { user, accessToken } = await t.client.registerUser();
    const res = await t.client.request('POST', '/auth/logout', { headers: { cookie: cookieOf(accessToken), authorization: `Bearer ${accessToken}` } });
    assert.equal(res.status, 204);
    assert.equal(await sessionCount(user.id), 0);
  });

  test('every api answer, the token-bearing auth answers and authenticated JSON included, is Cache-Control: no-store', async () => {
    const username = uniqueUsername('cache');
    const register = await t.client.post('/auth/register', { username, password: 'correct horse battery' });
    const login = await t.client.post('/auth/login', { username, password: 'correct horse battery' });
    const token = login.body.accessToken as string;
    const answers = {
      register,
      login,
      me: await t.client.get('/me', token),
      conversations: await t.client.get('/conversations', token),
      users: await t.client.get('/users?q=cache', token),
      online: await t.client.get('/users/online', token),
      groups: await t.client.get('/groups?q=a', token),
      unauthorized: await t.client.get('/me'),
      password: await t.client.post('/auth/password', { currentPassword: 'correct horse battery', newPassword: 'tram-violet-otter-42' }, token),
    };
    const cached = Object.entries(answers).filter(([, res]) => !/\bno-store\b/.test(res.headers.get('cache-control') ?? ''));
    assert.deepEqual(cached.map(([name, res]) => `${name}: ${res.status} ${res.headers.get('cache-control')}`), []);
  });

  test('with the web app\'s token-delivery header, register, login and password change answer {user}: the token stays in the httpOnly cookie', async () => {
    const cookieOnly = { [TOKEN_DELIVERY_HEADER]: TOKEN_DELIVERY_COOKIE_ONLY };
    const username = uniqueUsername('nojs');
    const tokenInCookie = (res: { headers: Headers }) => {
      const setCookie = res.headers.get('set-cookie') ?? '';
      assert.match(setCookie, /HttpOnly/i);
      return new RegExp(`${AUTH_COOKIE}=([^;]+)`).exec(setCookie)?.[1] ?? assert.fail('no session cookie');
    };
    const register = await t.client.request('POST', '/auth/register', { body: { username, password: 'correct horse battery' }, headers: cookieOnly });
    assert.equal(register.status, 201);
    assert.deepEqual(Object.keys(register.body), ['user', 'passwordChangeRequired']); // no accessToken
    tokenInCookie(register);
    const login = await t.client.request('POST', '/auth/login', { body: { username, password: 'correct horse battery' }, headers: cookieOnly });
    assert.equal(login.status, 200);
    assert.deepEqual(Object.keys(login.body), ['user', 'passwordChangeRequired']); // no accessToken
    const token = tokenInCookie(login);
    assert.equal((await t.client.request('GET', '/me', { headers: { cookie: cookieOf(token) } })).body.username, username);
    const change = await t.client.request('POST', '/auth/password', {
      body: { currentPassword: 'correct horse battery', newPassword: 'tram-violet-otter-42' },
      headers: { ...cookieOnly, cookie: cookieOf(token), [CSRF_HEADER]: CSRF_HEADER_VALUE },
    });
    assert.equal(change.status, 200);
    assert.deepEqual(Object.keys(change.body), ['user', 'passwordChangeRequired']); // no accessToken
    tokenInCookie(change);
    // without the header: the version-1 answer
    const v1 = await t.client.post('/auth/login', { username, password: 'tram-violet-otter-42' });
    assert.equal(typeof v1.body.accessToken, 'string');
  });

  test('every answer has a request id; a sane X-Request-Id is kept and quoted in the error body', async () => {
    const mine = 'trace-0123456789abcdef';
    const res = await t.client.request('GET', '/me', { headers: { 'x-request-id': mine } });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('x-request-id'), mine);
    assert.equal(res.body.error.requestId, mine);
    const generated = await t.client.get('/health');
    assert.match(generated.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  test('an insane X-Request-Id (log injection) is replaced by a generated one', async () => {
    for (const insane of ['evil id; DROP TABLE "User"', 'x'.repeat(500), 'line\tbreak']) {
      const res = await t.client.request('GET', '/me', { headers: { 'x-request-id': insane } });
      assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(res.body.error.requestId, res.headers.get('x-request-id'));
    }
  });

  test('a body over 64 KB is 413 payload_too_large and stores nothing', async () => {
    const username = uniqueUsername('huge');
    const res = await t.client.post('/auth/register', { username, password: 'correct horse battery', displayName: 'x'.repeat(70_000) });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'payload_too_large');
    assert.equal(await t.prisma.user.count({ where: { usernameKey: username.toLowerCase() } }), 0);
  });

  const malformed = ['{"username":', '{"a":1}}', 'null', '[1,2', "{'single':'quotes'}", '\u0000'];
  for (const raw of malformed) {
    test(`malformed JSON ${JSON.stringify(raw)} is a 4xx with the contract body, no stack, nothing stored`, async () => {
      const before = await t.prisma.session.count();
      const res = await t.client.request('POST', '/auth/login', { rawBody: raw });
      assert.ok(res.status === 400, `status ${res.status}`);
      assert.equal(res.body.error.code, 'validation_failed');
      assert.doesNotMatch(JSON.stringify(res.body), /at .*\.js:\d+|SyntaxError|prisma|SELECT|INSERT/i);
      assert.ok((await t.prisma.session.count()) >= before - 100); // nothing but parallel files' sessions
    });
  }

  test('a body that is not JSON is refused with a contract error, not parsed', async () => {
    const res = await t.client.request('POST', '/auth/login', { rawBody: 'username=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'validation_failed');
    assert.ok(res.body.error.fields.body ?? res.body.error.fields.username, JSON.stringify(res.body));
  });
});
