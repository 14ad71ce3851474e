import { spawn } from 'node:child_process';
import { Client } from 'pg';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ALIAS_HOOK, DIST_SERVER } from '../paths';
import { prepareTestDatabase } from '../platform/environment';
import { deleteRedisKeys } from '../services/redis-keys';

const TEST_FILE = /\.(spec|int-spec|e2e-spec)\.js$/;

/**
 * The whole test suite: unit, integration (real PostgreSQL and Redis) and e2e (real processes,
 * real Chromium), from the compiled tree. Args filter test files by substring.
 * Ends with the line `tests: N passed, N failed`. CHATBOX_TEST_DB names the test database
 * (default chatbox_test), so two checkouts can run their suites at once.
 */
async function main(): Promise<number> {
  const filters = process.argv.slice(2);
  const files = findTestFiles(DIST_SERVER).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
  const { databaseUrl, redisUrl } = await prepareTestDatabase(process.env.CHATBOX_TEST_DB ?? 'chatbox_test');
  await claimFirstAdmin(databaseUrl);
  const redisPrefix = `chatbox-test-${process.pid}`;
  // attachments the tests upload go to a directory of this run, never into the checkout
  const storageDir = mkdtempSync(path.join(tmpdir(), 'chatbox-test-storage-'));
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    // servers started by tests write warnings and errors only, as in-process apps do (a test may ask for more)
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    STORAGE_DIR: storageDir,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${ALIAS_HOOK}`.trim(),
  };
  console.log(`[test] ${files.length} test files; database ${new URL(databaseUrl).pathname.slice(1)}, redis prefix ${redisPrefix}`);
  const counts = await runNodeTest(files, env);
  await deleteRedisKeys(redisUrl, redisPrefix);
  rmSync(storageDir, { recursive: true, force: true });
  console.log(`tests: ${counts.pass} passed, ${counts.fail} failed`);
  return counts.fail === 0 && counts.exitCode === 0 && counts.pass > 0 ? 0 : 1;
}

/**
 * Test files share this database and run in parallel, so which one registers first is chance:
 * nobody here becomes admin by registering (tests that need an admin promote one; the first-user
 * rule is tested on a database of its own, apps/api-e2e/src/admin.e2e-spec.ts).
 */
async function claimFirstAdmin(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('UPDATE "InstanceSettings" SET "firstAdminClaimed" = true');
  } finally {
    await client.end();
  }
}

function findTestFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && TEST_FILE.test(e.name) && !e.parentPath.includes('node_modules'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

function runNodeTest(files: string[], env: NodeJS.ProcessEnv): Promise<{ pass: number; fail: number; exitCode: number }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--test', '--test-reporter=tap', `--test-concurrency=${env.TEST_CONCURRENCY ?? 2}`, ...files],
      { env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let pass = 0;
    const failed = { fail: 0, cancelled: 0 };
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      process.stdout.write(chunk);
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        // a test cancelled by a failing hook or a timeout did not pass: it counts as failed
        const m = /^# (pass|fail|cancelled) (\d+)$/.exec(line);
        if (m?.[1] === 'pass') pass = Number(m[2]);
        if (m?.[1] === 'fail' || m?.[1] === 'cancelled') failed[m[1]] = Number(m[2]);
      }
    });
    child.on('exit', (code) => resolve({ pass, fail: failed.fail + failed.cancelled, exitCode: code ?? 1 }));
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    console.log('tests: 0 passed, 1 failed');
    process.exit(1);
  },
);
