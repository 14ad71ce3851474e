import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ALIAS_HOOK, DIST_SERVER } from '@chatbox/tools';
import { createTestApp, TestApp, uniqueUsername } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

// Low limits for this file only (each test file runs in its own process). Every request comes
// "from" an address of its own through X-Forwarded-For (loopback is a trusted proxy).
process.env.RATE_LIMIT_LOGIN_USER_IP = '3/60'; // failures per (username, address)
process.env.RATE_LIMIT_LOGIN_USER = '6/60'; // failures per username from anywhere
process.env.RATE_LIMIT_LOGIN_IP = '50/60';
process.env.RATE_LIMIT_REGISTER_USER = '2/60';
process.env.RATE_LIMIT_REGISTER_IP = '100/60';

let lastIp = 0;
const freshIp = () => {
  lastIp += 1;
  assert.ok(lastIp < 255, 'this file uses fewer than 255 client addresses');
  return `192.0.2.${lastIp}`;
};

describe('security: login lockout and sign-up limits count what they should', () => {
  let t: TestApp;
  before(async () => (t = await createTestApp(ApiModule)));
  after(() => t?.close());

  const register = (ip: string, username: string, password = 'correct horse battery') =>
    t.client.request('POST', '/auth/register', { body: { username, password }, headers: { 'x-forwarded-for': ip } });
  const login = (ip: string, username: string, password: string) =>
    t.client.request('POST', '/auth/login', { body: { username, password }, headers: { 'x-forwarded-for': ip } });
  const owner = async () => {
    const username = uniqueUsername('owner');
    assert.equal((await register(freshIp(), username)).status, 201);
    return username;
  };

  test('wrong passwords from one address lock that address out (429, Retry-After), never the owner elsewhere', async () => {
    const username = await owner();
    const attacker = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await login(attacker, username, `wrong ${i}`)).status);
    const refused = await login(attacker, username, 'correct horse battery');
    assert.deepEqual([...statuses, refused.status], [401, 401, 401, 429]);
    assert.equal(refused.body.error.code, 'rate_limited');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal(refused.headers.get('set-cookie'), null);
    // the attacker keeps trying: still refused, and the owner is not affected
    for (let i = 0; i < 5; i++) assert.equal((await login(attacker, username, `wrong again ${i}`)).status, 429);
    assert.equal((await login(freshIp(), username, 'correct horse battery')).status, 200);
  });

  test('successful logins are not counted: the owner logs in again and again', async () => {
    const username = await owner();
    const home = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await login(home, username, 'correct horse battery')).status);
    assert.deepEqual(statuses, Array(10).fill(200));
    // a typo or two between them is fine too
    assert.equal((await login(home, username, 'correct horse batery')).status, 401);
    assert.equal((await login(home, username, 'correct horse battery')).status, 200);
  });

  test('guessing one account from many addresses stops at the per-username ceiling, except where the owner logged in before', async () => {
    const username = await owner();
    const home = freshIp();
    assert.equal((await login(home, username, 'correct horse battery')).status, 200);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await login(freshIp(), username, `spray ${i}`)).status);
    assert.deepEqual(statuses, Array(6).fill(401));
    // a new address is refused even with the right password: the guesses are bounded
    const elsewhere = await login(freshIp(), username, 'correct horse battery');
    assert.equal(elsewhere.status, 429);
    assert.ok(Number(elsewhere.headers.get('retry-after')) >= 1);
    // the owner, where they logged in before, is not locked out
    assert.equal((await login(home, username, 'correct horse battery')).status, 200);
  });

  test('an unknown username and a wrong password are limited alike (same answers, same attempt refused)', async () => {
    const known = await owner();
    const ghost = uniqueUsername('ghost');
    const run = async (username: string) => {
      const ip = freshIp();
      const answers: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await login(ip, username, `wrong ${i}`);
        answers.push(`${res.status} ${res.body.error.code} ${res.body.error.message}`);
      }
      return answers;
    };
    const [forKnown, forGhost] = [await run(known), await run(ghost)];
    assert.deepEqual(forKnown, forGhost);
    assert.deepEqual(forKnown.map((a) => a.slice(0, 3)), ['401', '401', '401', '429', '429']);
  });

  test('an operator clears a locked-out username with `npm run unlock-login -- <username>`', async () => {
    const username = await owner();
    const locked = freshIp();
    for (let i = 0; i < 3; i++) await login(locked, username, `wrong ${i}`);
    for (let i = 0; i < 6; i++) await login(freshIp(), username, `spray ${i}`);
    assert.equal((await login(locked, username, 'correct horse battery')).status, 429);
    assert.equal((await login(freshIp(), username, 'correct horse battery')).status, 429);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', ALIAS_HOOK, path.join(DIST_SERVER, 'tools/src/ops/unlock-login.cli.js'), username.toUpperCase()],
      { env: { ...process.env, NODE_OPTIONS: '' } },
    );
    assert.match(stdout, new RegExp(`cleared \\d+ failed-login counter\\(s\\) of ${username.toUpperCase()}`));
    assert.equal((await login(locked, username, 'correct horse battery')).status, 200);
    assert.equal((await login(freshIp(), username, 'correct horse battery')).status, 200);
  });

  test('sign-ups refused for the password (common, too short) do not count against the username', async () => {
    const username = uniqueUsername('newcomer');
    const ip = freshIp();
    const refused: number[] = [];
    for (const password of ['password123', 'Password1', 'qwertyuiop', 'short', 'iloveyou1']) refused.push((await register(ip, username, password)).status);
    assert.deepEqual(refused, [400, 400, 400, 400, 400]);
    assert.equal((await register(ip, username, 'a sound passphrase')).status, 201);
  });

  test('sign-ups that could create the account are still limited per username (taken names included)', async () => {
    const username = await owner();
    // the owner's own sign-up was the first of the two allowed
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) statuses.push((await register(freshIp(), username, `another passphrase ${i}`)).status);
    assert.deepEqual(statuses, [409, 429]);
  });
});
