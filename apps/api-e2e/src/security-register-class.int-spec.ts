import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { loadConfig } from '@chatbox/server-config';
import { createTestApp, TestApp, uniqueUsername } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

// The production default of REGISTER_IP, set explicitly (NODE_ENV=test scales unset limits 1000x).
const production = loadConfig({ ...process.env, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), RATE_LIMIT_REGISTER_IP: undefined });
const rule = production.rateLimits.register_ip;
process.env.RATE_LIMIT_REGISTER_IP = `${rule.limit}/${rule.windowSeconds}`;

/** Sign-up from one address: a classroom behind one router registers; a script does not. */
describe('security: sign-up per address at the production default', () => {
  let app: TestApp;
  before(async () => (app = await createTestApp(ApiModule)));
  after(async () => await app?.close());

  // one address per run (benchmark range), so a rerun within the window starts from zero
  const ip = `198.18.${randomInt(0, 256)}.${randomInt(1, 255)}`;
  const register = () =>
    app.client.request('POST', '/auth/register', {
      body: { username: uniqueUsername('class'), password: 'correct horse battery' },
      headers: { 'x-forwarded-for': ip },
    });

  test('the default stops 1,000 sign-ups an hour from one address', () => {
    assert.ok(rule.windowSeconds >= 3600 && rule.limit < 1000, `REGISTER_IP ${rule.limit}/${rule.windowSeconds}`);
  });

  test('a class of 100 registers from one address, and a continued burst is stopped', { timeout: 120_000 }, async () => {
    for (let i = 0; i < 100; i++) assert.equal((await register()).status, 201, `student ${i + 1}`);
    let created = 100;
    let res = await register();
    while (res.status === 201 && created < 1000) {
      created += 1;
      res = await register();
    }
    assert.equal(res.status, 429);
    assert.equal(res.body.error.code, 'rate_limited');
    assert.equal(created, rule.limit);
  });
});
