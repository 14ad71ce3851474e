import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { connectDatabase, createDatabasePool } from '@chatbox/server-db';
import { ALIAS_HOOK, backup, DIST_SERVER, PostgresPair, REPO_ROOT, startPostgresPair } from '@chatbox/tools';

const run = promisify(execFile);

const serverPort = async (pool: Pool) => (await pool.query<{ port: number }>('SELECT inet_server_port() AS port')).rows[0].port;

/** Retries a statement until it succeeds (bounded): what a client does while a failover happens. */
async function eventually<T>(fn: () => Promise<T>, attempts = 150): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/**
 * A multi-host DATABASE_URL with target_session_attrs=read-write against a real primary and
 * streaming replica (PostgreSQL processes of the test's own): node-postgres alone cannot read
 * such a URL ("Invalid URL").
 */
describe('a multi-host DATABASE_URL', { timeout: 180_000 }, () => {
  let pair: PostgresPair;
  const url = (...ports: number[]) =>
    `postgresql://postgres@${ports.map((p) => `127.0.0.1:${p}`).join(',')}/postgres?target_session_attrs=read-write`;

  before(async () => {
    pair = await startPostgresPair();
  });
  after(() => pair?.stop());

  test('connects to the primary even when the replica is listed first', async () => {
    const pool = createDatabasePool(url(pair.replicaPort, pair.primaryPort), { max: 2 });
    try {
      assert.equal(await serverPort(pool), pair.primaryPort);
      await pool.query('CREATE TABLE IF NOT EXISTS probe (n int)');
    } finally {
      await pool.end();
    }
  });

  test('migrations and backups work on it: they run against the primary', async () => {
    const failoverUrl = url(pair.replicaPort, pair.primaryPort).replace('/postgres?', '/chatbox?');
    const admin = await connectDatabase(pair.serverUrl(pair.primaryPort));
    await admin.query('CREATE DATABASE chatbox');
    await admin.end();
    // what `npm run db:migrate` and the compose file's migrate service run
    const migrateCli = path.join(DIST_SERVER, 'tools/src/db/migrate.cli.js');
    const { stdout } = await run(process.execPath, ['-r', ALIAS_HOOK, migrateCli], { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: failoverUrl } });
    assert.match(stdout, /migration\(s\) applied/);
    const migrated = await connectDatabase(pair.serverUrl(pair.primaryPort, 'chatbox'));
    assert.equal((await migrated.query(`SELECT to_regclass('"Message"') IS NOT NULL AS ok`)).rows[0].ok, true);
    await migrated.end();
    const dir = mkdtempSync(path.join(tmpdir(), 'chatbox-failover-backup-'));
    try {
      const written = await backup(failoverUrl, dir); // pg_dump: libpq reads the URL itself
      assert.ok(existsSync(path.join(written, 'database.dump')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('after the primary crashes and the replica is promoted, the same pool writes to the new primary', async () => {
    const pool = createDatabasePool(url(pair.primaryPort, pair.replicaPort), { max: 4 });
    pool.on('error', () => undefined); // idle connections break when the primary dies
    try {
      await pool.query('INSERT INTO probe VALUES (1)');
      assert.equal(await serverPort(pool), pair.primaryPort);

      await pair.crashPrimary();
      // nothing writable until the promotion: writes fail (they are not sent to the read-only replica)
      await assert.rejects(pool.query('INSERT INTO probe VALUES (2)'), /no acceptable PostgreSQL server|terminat|ECONNREFUSED|Connection/);
      await pair.promoteReplica();

      await eventually(() => pool.query('INSERT INTO probe VALUES (3)'));
      assert.equal(await serverPort(pool), pair.replicaPort);
      const { rows } = await pool.query<{ n: number }>('SELECT n FROM probe ORDER BY n');
      assert.deepEqual(
        rows.map((r) => r.n),
        [1, 3],
      );
    } finally {
      await pool.end();
    }
  });
});
