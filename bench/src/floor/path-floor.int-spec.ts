import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseUrlFor, dropDatabase, ensureServices, recreateDatabase, type Services, withClient } from '@chatbox/tools';
import { pathFloor } from './path-floor';

const DATABASE = `chatbox_test_floor_${process.pid}`;
let services: Services;

before(async () => {
  services = await ensureServices();
  await recreateDatabase(services.postgresServerUrl, DATABASE);
});
after(() => dropDatabase(services.postgresServerUrl, DATABASE));

for (const viaRedis of [false, true]) {
  test(`the path floor stores each message and delivers it to the 9 other members${viaRedis ? ' through Redis' : ''}`, async () => {
    const databaseUrl = databaseUrlFor(services.postgresServerUrl, DATABASE);
    const stored = () => withClient(databaseUrl, async (db) => Number((await db.query('SELECT count(*) AS n FROM floor_message')).rows[0]?.n ?? 0)).catch(() => 0);
    const storedBefore = await stored();
    const run = await pathFloor(databaseUrl, services.redisUrl, 40, 1, viaRedis, 500);
    assert.equal((await stored()) - storedBefore, 40);
    assert.equal(run.sent, 40);
    assert.equal(run.expected, 360);
    assert.equal(run.received, 360);
    assert.ok(run.latencyMs.p50! > 0, `latencies ${JSON.stringify(run.latencyMs)}`);
  });
}
