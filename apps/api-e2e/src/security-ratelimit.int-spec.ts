import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { createTestApp, TestApp, uniqueUsername } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

// Low limits for this file only (each test file runs in its own process). Every request here
// comes "from" its own documentation-range IP through X-Forwarded-For (loopback is a trusted
// proxy), so other test files sharing 127.0.0.1 and this run's Redis never count against it.
process.env.RATE_LIMIT_LOGIN_USER = '5/60';
process.env.RATE_LIMIT_LOGIN_IP = '8/60';
process.env.RATE_LIMIT_REGISTER_IP = '3/60';
process.env.RATE_LIMIT_REGISTER_USER = '100/60';

// a new address per call (random ones collided now and then: one attempt too many on a counter)
let lastIp = 0;
const freshIp = () => {
  lastIp += 1;
  assert.ok(lastIp < 255, 'this file uses fewer than 255 client addresses');
  return `198.51.100.${randomInt(1, 255)}, 203.0.113.${lastIp}`;
};

describe('security: rate limits', () => {
  let a: TestApp;
  let b: TestApp;
  before(async () => {
    a = await createTestApp(ApiModule);
    b = await createTestApp(ApiModule);
  });
  after(async () => {
    await a?.close();
    await b?.close();
  });

  const register = (t: TestApp, ip: string, username = uniqueUsername('rl'), password = 'correct horse battery') =>
    t.client.request('POST', '/auth/register', { body: { username, password }, headers: { 'x-forwarded-for': ip } });
  const login = (t: TestApp, ip: string, username: string, password: string) =>
    t.client.request('POST', '/auth/login', { body: { username, password }, headers: { 'x-forwarded-for': ip } });

  test('login brute force on one username reaches 429 rate_limited with Retry-After, even with the right password', async () => {
    const username = uniqueUsername('brute');
    assert.equal((await register(a, freshIp(), username)).status, 201);
    const statuses: number[] = [];
    // Each attempt from another IP: the per-username limit (5/60 s) must stop it on its own.
    for (let i = 0; i < 5; i++) statuses.push((await login(a, freshIp(), username, `wrong password ${i}`)).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401]);
    const limited = await login(a, freshIp(), username, 'correct horse battery');
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal(limited.body.accessToken, undefined);
    assert.equal(limited.headers.get('set-cookie'), null);
  });

  test('the username limit counts the NFKC, case-folded name: ＵＳＥＲ and user share one bucket', async () => {
    const username = uniqueUsername('fold');
    const variants = [username, username.toUpperCase(), username.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))];
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await login(a, freshIp(), variants[i % 3]!, 'wrong password')).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
  });

  test('login attempts from one IP over many usernames reach 429 (per-IP limit)', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await login(a, ip, uniqueUsername('spray'), 'wrong password')).status);
    assert.deepEqual(statuses, [...Array(8).fill(401), 429]);
  });

  test('the limit holds across api processes sharing Redis', async () => {
    const username = uniqueUsername('multi');
    assert.equal((await register(a, freshIp(), username)).status, 201);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await login(i % 2 ? b : a, freshIp(), username, 'wrong password')).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
  });

  test('registrations from one IP reach 429 and the refused one stores no user', async () => {
    const ip = freshIp();
    for (let i = 0; i < 3; i++) assert.equal((await register(a, ip)).status, 201);
    const username = uniqueUsername('refused');
    const res = await register(a, ip, username);
    assert.equal(res.status, 429);
    assert.equal(res.body.error.code, 'rate_limited');
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
    assert.equal(await a.prisma.user.count({ where: { usernameKey: username.toLowerCase() } }), 0);
  });
});
