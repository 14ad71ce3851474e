import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { findExecutable, freePort, isListening, launchApi, launchWorker, stopProcess, waitFor, waitForHttp } from '@chatbox/tools';

/** A throwaway redis-server on a free loopback port, started with the given extra arguments. */
async function startRedis(args: string[]): Promise<{ redis: ChildProcess; redisUrl: string }> {
  const port = await freePort();
  const bin = findExecutable('redis-server');
  assert.ok(bin, 'redis-server is needed for this test');
  const redis = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' });
  await waitFor(() => isListening(port), `redis on ${port}`);
  return { redis, redisUrl: `redis://127.0.0.1:${port}` };
}

/** BullMQ loses queued jobs on an evicting Redis, so api and worker refuse to start on one. */
describe('an evicting Redis', () => {
  let redis: ChildProcess;
  let redisUrl: string;

  before(async () => ({ redis, redisUrl } = await startRedis(['--maxmemory-policy', 'allkeys-lru'])));
  after(() => void redis.kill('SIGKILL'));

  for (const [name, launch] of [['api', launchApi], ['worker', launchWorker]] as const) {
    test(`the ${name} refuses to start, naming the policy to set`, { timeout: 60_000 }, async () => {
      const port = await freePort();
      const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: redisUrl, API_PORT: String(port), API_HOST: '127.0.0.1', LOG_LEVEL: 'log' };
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

/** Managed Redis offerings often forbid CONFIG: the policy cannot be checked, so warn and start. */
describe('a Redis that refuses CONFIG', () => {
  let redis: ChildProcess;
  let redisUrl: string;

  before(async () => ({ redis, redisUrl } = await startRedis(['--rename-command', 'CONFIG', ''])));
  after(() => void redis.kill('SIGKILL'));

  for (const [name, launch] of [['api', launchApi], ['worker', launchWorker]] as const) {
    test(`the ${name} starts and warns that it could not check the policy`, { timeout: 60_000 }, async () => {
      const port = await freePort();
      const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: redisUrl, API_PORT: String(port), API_HOST: '127.0.0.1', LOG_LEVEL: 'log' };
      delete env.NODE_TEST_CONTEXT;
      const proc = launch({ env, name, quiet: false });
      let output = '';
      const collect = (chunk: Buffer) => (output += chunk.toString());
      proc.child.stdout?.on('data', collect);
      proc.child.stderr?.on('data', collect);
      try {
        if (name === 'api') {
          await waitForHttp(`http://127.0.0.1:${port}/api/health`, proc);
        } else {
          let dead = false;
          void proc.exited.then(() => (dead = true));
          await waitFor(async () => {
            if (dead) throw new Error(`worker exited: ${output}`);
            return output.includes('started'); // the worker's last start-up line
          }, 'worker started');
        }
        assert.match(output, /could not read Redis maxmemory-policy/);
      } finally {
        await stopProcess(proc);
      }
    });
  }
});
