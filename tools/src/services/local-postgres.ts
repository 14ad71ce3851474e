import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { findExecutable, isRoot, postgresBinDirs } from './binaries';
import { freePort, isListening, waitFor } from './ports';

/**
 * A project-local PostgreSQL under .local/postgres, started from the machine's binaries.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user.
 */
export async function startLocalPostgres(stateDir: string, opts: { port?: number } = {}): Promise<number | undefined> {
  const initdb = findExecutable('initdb', postgresBinDirs());
  const pgCtl = findExecutable('pg_ctl', postgresBinDirs());
  if (!initdb || !pgCtl) return undefined;

  const dataDir = path.join(stateDir, 'postgres');
  const portFile = path.join(stateDir, 'postgres.port');

  if (existsSync(portFile)) {
    const port = Number(readFileSync(portFile, 'utf8'));
    if (await isListening(port)) return port;
  }
  mkdirSync(stateDir, { recursive: true });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dataDir, { recursive: true });
    ownByPostgres(dataDir);
    asOwner(initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  }
  const port = opts.port ?? (await freePort());
  const serverOpts = `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=on`;
  asOwner(pgCtl, ['-D', dataDir, '-o', serverOpts, '-l', path.join(dataDir, 'server.log'), '-w', 'start']);
  await waitFor(() => isListening(port), `PostgreSQL on port ${port}`);
  writeFileSync(portFile, String(port));
  return port;
}

/** Stops the project-local PostgreSQL of stateDir (fast shutdown: open transactions roll back). */
export function stopLocalPostgres(stateDir: string): void {
  const pgCtl = findExecutable('pg_ctl', postgresBinDirs());
  const dataDir = path.join(stateDir, 'postgres');
  if (!pgCtl || !existsSync(path.join(dataDir, 'postmaster.pid'))) return;
  asOwner(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
}

/** Runs a PostgreSQL program as the owner of the data directories (`postgres` when we are root). */
export function asOwner(cmd: string, args: string[]): Buffer {
  return isRoot() ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' }) : execFileSync(cmd, args, { stdio: 'pipe' });
}

export async function asOwnerAsync(cmd: string, args: string[]): Promise<void> {
  const [file, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  await promisify(execFile)(file, argv);
}

/** PostgreSQL refuses a data directory it does not own: as root, hand it to `postgres`. */
export function ownByPostgres(dir: string): void {
  if (isRoot()) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}
function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user]).toString().trim());
}
