import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createTestApp, TestApp } from '@chatbox/server-testing';
import { ALIAS_HOOK, databaseUrlFor, DIST_SERVER, recreateDatabase, REPO_ROOT } from '@chatbox/tools';
import { ApiModule } from '../../api/src/app.module';
import { createGroup, people } from './support/chat-fixtures';

const run = promisify(execFile);
const CLI = path.join(DIST_SERVER, 'tools/src/ops/backup.cli.js');

/** What `npm run backup` / `npm run restore` run, on a DATABASE_URL of our choosing. */
const cli = (databaseUrl: string, ...args: string[]) =>
  run(process.execPath, ['-r', ALIAS_HOOK, CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: databaseUrl } });

type Row = { id: string; conversationId: string; seq: number; body: string; senderId: string };
const messages = async (databaseUrl: string): Promise<Map<string, Row>> => {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<Row>('SELECT id, "conversationId", seq, body, "senderId" FROM "Message"');
    return new Map(rows.map((r) => [r.id, r]));
  } finally {
    await db.end();
  }
};

/** Issue 15: a backup restored into an empty database has every message, and the files. */
describe('npm run backup / npm run restore', () => {
  let t: TestApp;
  const work = mkdtempSync(path.join(tmpdir(), 'chatbox-backup-'));
  const sourceUrl = process.env.DATABASE_URL ?? '';
  const serverUrl = databaseUrlFor(sourceUrl, 'postgres');
  const restoredName = `${new URL(sourceUrl).pathname.slice(1)}_restore_${process.pid}`;
  const restoredUrl = databaseUrlFor(serverUrl, restoredName);
  before(async () => (t = await createTestApp(ApiModule)));
  after(async () => {
    await t.close();
    const db = new Client({ connectionString: serverUrl });
    await db.connect();
    await db.query(`DROP DATABASE IF EXISTS "${restoredName}" WITH (FORCE)`).finally(() => db.end());
    rmSync(work, { recursive: true, force: true });
  });

  test('restoring into an empty database finds every message stored before the backup, and the files come back', async () => {
    const [ann, bob] = await people(t, 2);
    const group = await createGroup(t, ann, { memberIds: [bob.id] });
    for (const [who, body] of [[ann, 'kept by the backup'], [bob, 'ünïcödé and 🙂 too'], [ann, 'line one\nline two']] as const) {
      const res = await t.client.post(`/conversations/${group.id}/messages`, { clientMsgId: `b-${body.length}-${who.id}`, body }, who.token);
      assert.equal(res.status, 201);
    }
    const files = path.join(work, 'files');
    mkdirSync(path.join(files, 'ab'), { recursive: true });
    writeFileSync(path.join(files, 'ab', 'attachment.bin'), Buffer.from([0, 1, 2, 255]));
    const before = await messages(sourceUrl); // other test files may add more meanwhile: those need not be there

    const { stdout } = await cli(sourceUrl, 'backup', path.join(work, 'backups'), '--files', files);
    const backupDir = /written to (.+)$/m.exec(stdout)?.[1] ?? assert.fail(stdout);

    await recreateDatabase(serverUrl, restoredName);
    const restoredFiles = path.join(work, 'restored-files');
    await cli(restoredUrl, 'restore', backupDir, '--files', restoredFiles);

    const restored = await messages(restoredUrl);
    const missing = [...before.values()].filter((m) => JSON.stringify(restored.get(m.id)) !== JSON.stringify(m));
    assert.deepEqual(missing, [], 'every message, as it was stored');
    assert.ok(before.size >= 3);
    assert.deepEqual(readFileSync(path.join(restoredFiles, 'ab', 'attachment.bin')), Buffer.from([0, 1, 2, 255]));

    // the restored database is migrated and serves the api: the migrations table came along
    const db = new Client({ connectionString: restoredUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM "_prisma_migrations"');
      assert.ok((rows[0]?.n ?? 0) > 0);
    } finally {
      await db.end();
    }
  });

  test('restore without a backup directory explains itself', async () => {
    await assert.rejects(cli(restoredUrl, 'restore'), /usage:/);
    await assert.rejects(cli(restoredUrl, 'restore', path.join(work, 'nothing-here')), /is .* a ChatBox backup/);
  });
});
