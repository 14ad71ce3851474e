import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestApp, TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

/** Node's own keep-alive timeout, which the api used to keep. */
const NODE_DEFAULT_IDLE_MS = 5_000;

describe('HTTP connections', () => {
  let t: TestApp;
  before(async () => (t = await createTestApp(ApiModule)));
  after(() => t.close());

  const get = (agent: http.Agent) =>
    new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
      const req = http.get(`${t.baseUrl}/api/health`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
      });
      req.on('error', reject);
    });

  test('an idle connection stays open past 5 s, so a proxy or browser that reuses it is answered on it', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      assert.deepEqual(await get(agent), { status: 200, reused: false });
      await sleep(NODE_DEFAULT_IDLE_MS + 1_000);
      assert.deepEqual(await get(agent), { status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  });
});
