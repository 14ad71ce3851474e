import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { findExecutable, postgresBinDirs } from '../services/binaries';

const run = promisify(execFile);

/** The layout of a backup directory: the database in pg_dump's custom format, and the files. */
export const BACKUP_LAYOUT = { database: 'database.dump', files: 'files', manifest: 'backup.json' } as const;

function tool(name: 'pg_dump' | 'pg_restore'): string {
  const found = findExecutable(name, postgresBinDirs());
  if (!found) throw new Error(`${name} not found: install the PostgreSQL client tools (Debian: postgresql-client)`);
  return found;
}

/**
 * Writes a backup of `databaseUrl` (pg_dump, custom format: compressed, restorable table by
 * table) and of `filesDir` when given (copied as is) into a new directory under `outDir`.
 */
export async function backup(databaseUrl: string, outDir: string, filesDir?: string): Promise<string> {
  const dir = path.join(outDir, `chatbox-backup-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  await run(tool('pg_dump'), ['--format=custom', '--no-owner', '--no-privileges', `--file=${path.join(dir, BACKUP_LAYOUT.database)}`, databaseUrl]);
  mkdirSync(path.join(dir, BACKUP_LAYOUT.files));
  if (filesDir && existsSync(filesDir)) cpSync(filesDir, path.join(dir, BACKUP_LAYOUT.files), { recursive: true });
  writeFileSync(path.join(dir, BACKUP_LAYOUT.manifest), JSON.stringify({ createdAt: new Date().toISOString(), files: Boolean(filesDir) }, null, 2));
  return dir;
}

/**
 * Restores a backup directory into `databaseUrl` (which should be empty: objects that exist are
 * dropped first) and its files into `filesDir` when given. One transaction: all or nothing.
 */
export async function restore(backupDir: string, databaseUrl: string, filesDir?: string): Promise<void> {
  const dump = path.join(backupDir, BACKUP_LAYOUT.database);
  if (!existsSync(dump)) throw new Error(`${dump} not found: is ${backupDir} a ChatBox backup?`);
  await run(tool('pg_restore'), ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${databaseUrl}`, dump]);
  const files = path.join(backupDir, BACKUP_LAYOUT.files);
  if (filesDir && existsSync(files) && readdirSync(files).length > 0) {
    mkdirSync(filesDir, { recursive: true });
    cpSync(files, filesDir, { recursive: true });
  }
}
