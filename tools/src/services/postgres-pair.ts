import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withClient } from '../db/databases';
import { findExecutable, postgresBinDirs } from './binaries';
import { asOwner, asOwnerAsync, ownByPostgres } from './local-postgres';
import { freePort, isListening, waitFor } from './ports';

/**
 * A primary and a streaming replica of its own (initdb, pg_basebackup -R) in a temporary
 * directory, on free loopback ports, for failover drills and tests. Replication is
 * synchronous: a commit the primary acknowledged is on the replica, so promoting it after the
 * primary crashed loses nothing acknowledged (with asynchronous replication the last commits
 * could be lost, by design). The machine's own PostgreSQL is not involved.
 */
export type PostgresPair = {
  dir: string;
  primaryPort: number;
  replicaPort: number;
  /** A single-host URL of one server. */
  serverUrl(port: number, database?: string): string;
  /** libpq's multi-host URL: primary first, then the replica, asking for a read-write session. */
  failoverUrl(database: string): string;
  /** The primary dies (immediate shutdown: no checkpoint, connections cut). */
  crashPrimary(): Promise<void>;
  /** The replica leaves recovery and becomes a primary; resolves once it accepts writes. */
  promoteReplica(): Promise<void>;
  /** Stops both servers and removes the directory. */
  stop(): void;
};

const running = new Set<PostgresPair>();

export async function startPostgresPair(): Promise<PostgresPair> {
  const bin = (name: string) => {
    const found = findExecutable(name, postgresBinDirs());
    if (!found) throw new Error(`PostgreSQL server program ${name} not found`);
    return found;
  };
  const [initdb, pgCtl, pgBasebackup] = [bin('initdb'), bin('pg_ctl'), bin('pg_basebackup')];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chatbox-pg-pair-'));
  ownByPostgres(dir);
  const primaryDir = path.join(dir, 'primary');
  const replicaDir = path.join(dir, 'replica');
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const start = (dataDir: string, port: number) => {
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`;
    asOwner(pgCtl, ['-D', dataDir, '-o', opts, '-l', path.join(dir, `${path.basename(dataDir)}.log`), '-w', 'start']);
  };
  const stopServer = (dataDir: string, mode: 'fast' | 'immediate') => {
    try {
      asOwner(pgCtl, ['-D', dataDir, '-m', mode, '-w', 'stop']);
    } catch {
      // not running
    }
  };
  const serverUrl = (port: number, database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${database}`;

  const pair: PostgresPair = {
    dir,
    primaryPort,
    replicaPort,
    serverUrl,
    failoverUrl: (database) => `postgresql://postgres@127.0.0.1:${primaryPort},127.0.0.1:${replicaPort}/${database}?target_session_attrs=read-write`,
    // asynchronous: a drill's traffic goes on while pg_ctl waits
    crashPrimary: async () => void (await asOwnerAsync(pgCtl, ['-D', primaryDir, '-m', 'immediate', '-w', 'stop'])),
    promoteReplica: async () => void (await asOwnerAsync(pgCtl, ['-D', replicaDir, '-w', 'promote'])),
    stop() {
      running.delete(pair);
      stopServer(replicaDir, 'fast');
      stopServer(primaryDir, 'fast');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  running.add(pair);
  try {
    // initdb --auth=trust also trusts replication connections from 127.0.0.1
    asOwner(initdb, ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    start(primaryDir, primaryPort);
    asOwner(pgBasebackup, ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', replicaDir, '-R', '-X', 'stream', '-c', 'fast']);
    start(replicaDir, replicaPort);
    await waitFor(() => isListening(replicaPort), `the replica on port ${replicaPort}`);
    await withClient(serverUrl(primaryPort), async (client) => {
      await waitFor(
        async () => (await client.query(`SELECT 1 FROM pg_stat_replication WHERE state = 'streaming'`)).rowCount === 1,
        'the replica to stream',
      );
      // only now: the replica copied postgresql.conf, and as a primary it must not wait for a standby
      await client.query(`ALTER SYSTEM SET synchronous_standby_names = '*'`);
      await client.query('SELECT pg_reload_conf()');
    });
  } catch (err) {
    pair.stop();
    throw err;
  }
  return pair;
}

/** Stops every pair still running (an interrupted drill). */
export function stopPostgresPairs(): void {
  for (const pair of [...running]) pair.stop();
}
