import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { findExecutable, freePort, isListening, launchApi, launchWorker, waitFor } from '@chatbox/tools';

/** BullMQ loses queued jobs on an evicting Redis, so api and worker refuse to start on one. */
describe('an evicting Redis', () => {
  let redis: ChildProcess;
  let redisUrl: string;

  before(async () => {
    const port = await freePort();
    const bin = findExecutable('redis-server');
    assert.ok(bin, 'redis-server is needed for this test');
    redis = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'], { stdio: 'ignore' });
    await waitFor(() => isListening(port), `redis on ${port}`);
    redisUrl = `redis://127.0.0.1:${port}`;
  });
  after(() => void redis.kill('SIGKILL'));

  for (const [name, launch] of [['api', launchApi], ['worker', launchWorker]] as const) {
    test(`the ${name} refuses to start, naming the policy to set`, { timeout: 60_000 }, async () => {
      const port = await freePort();
      const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: redisUrl, API_PORT: String(port), API_HOST: '127.0.0.1' };
      delete env.NODE_TEST_CONTEXT;
      const proc = launch({ env, name, quiet: false });
      let output = '';
      proc.child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => proc.child.kill('SIGKILL'), 45_000); // started anyway: fail, don't hang
      const code = await proc.exited;
      clearTimeout(timer);
      assert.equal(code, 1);
      assert.match(output, /maxmemory-policy is "allkeys-lru"; ChatBox needs "noeviction"/);
    });
  }
});
