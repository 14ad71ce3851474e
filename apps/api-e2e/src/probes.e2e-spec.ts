import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  databaseUrlFor,
  freePort,
  launchApi,
  launchWorker,
  ManagedProcess,
  migrate,
  recreateDatabase,
  startLocalPostgres,
  stopLocalPostgres,
  stopProcess,
  waitFor,
  waitForHttp,
} from '@chatbox/tools';

type Probe = { status: number; body: { status: string; info?: Record<string, unknown>; error?: Record<string, unknown> } };
const probe = async (url: string): Promise<Probe> => {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: (await res.json()) as Probe['body'] };
};

/**
 * Issue 15: liveness and readiness of api and worker, on their operations ports. PostgreSQL is
 * one of this test's own (pg_ctl on a free loopback port), so it can be stopped and started again.
 */
describe('probes: liveness and readiness while PostgreSQL stops and comes back', { timeout: 180_000 }, () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'chatbox-probes-'));
  const procs: ManagedProcess[] = [];
  let pgPort: number | undefined;
  let ops: { api: string; worker: string };

  before(async () => {
    chmodSync(stateDir, 0o755); // the postgres system user runs the server when we are root
    pgPort = await startLocalPostgres(stateDir);
    assert.ok(pgPort, 'PostgreSQL binaries (initdb, pg_ctl) are needed for this test');
    const serverUrl = `postgresql://postgres@127.0.0.1:${pgPort}/postgres`;
    const databaseUrl = databaseUrlFor(serverUrl, 'chatbox_probes');
    await recreateDatabase(serverUrl, 'chatbox_probes');
    await migrate(databaseUrl);
    const [apiPort, apiOps, workerOps] = [await freePort(), await freePort(), await freePort()];
    const env = (extra: Record<string, string>): NodeJS.ProcessEnv => {
      const e: NodeJS.ProcessEnv = {
        ...process.env,
        API_HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        DATABASE_POOL_SIZE: '2',
        REDIS_PREFIX: `${process.env.REDIS_PREFIX ?? 'chatbox-test'}-p${process.pid}`,
        ...extra,
      };
      delete e.NODE_TEST_CONTEXT;
      return e;
    };
    const quiet = process.env.E2E_VERBOSE !== '1';
    procs.push(launchApi({ env: env({ API_PORT: String(apiPort), OPS_PORT: String(apiOps) }), name: 'api-probes', quiet }));
    procs.push(launchWorker({ env: env({ OPS_PORT: String(workerOps) }), name: 'worker-probes', quiet }));
    ops = { api: `http://127.0.0.1:${apiOps}`, worker: `http://127.0.0.1:${workerOps}` };
    await waitForHttp(`${ops.api}/live`, procs[0]);
    await waitForHttp(`${ops.worker}/live`, procs[1]);
  });

  after(async () => {
    await Promise.all(procs.map((p) => stopProcess(p, 'SIGTERM', 5_000)));
    stopLocalPostgres(stateDir);
    rmSync(stateDir, { recursive: true, force: true });
  });

  test('ready and live while everything is up; readiness fails while PostgreSQL is stopped, liveness does not; ready again after', async () => {
    for (const base of [ops.api, ops.worker]) {
      const [live, ready] = [await probe(`${base}/live`), await probe(`${base}/ready`)];
      assert.equal(live.status, 200);
      assert.equal(ready.status, 200, JSON.stringify(ready.body));
      assert.deepEqual(Object.keys(ready.body.info ?? {}).sort(), ['accepting', 'postgres', 'redis']);
    }

    stopLocalPostgres(stateDir);
    for (const base of [ops.api, ops.worker]) {
      const ready = await probe(`${base}/ready`);
      assert.equal(ready.status, 503, JSON.stringify(ready.body));
      assert.equal(ready.body.status, 'error');
      assert.deepEqual(ready.body.error, { postgres: { status: 'down' } });
      const live = await probe(`${base}/live`);
      assert.equal(live.status, 200, 'liveness does not depend on PostgreSQL: no restart for an outage');
    }

    await startLocalPostgres(stateDir, { port: pgPort });
    for (const base of [ops.api, ops.worker]) {
      await waitFor(async () => (await probe(`${base}/ready`)).status === 200, `${base}/ready after PostgreSQL came back`);
    }
  });

  test('the operations port serves nothing else; the public port serves none of it', async () => {
    assert.equal((await fetch(`${ops.api}/api/health`)).status, 404);
    assert.equal((await fetch(`${ops.api}/ready`, { method: 'POST' })).status, 405);
  });
});
