import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { FANOUT_QUEUE } from '@chatbox/contracts';
import { Client } from 'pg';
import { databaseUrlFor, freePort, migrate, recreateDatabase, waitFor, launchApi, launchFiles, launchWorker, ManagedProcess, stopProcess, waitForHttp } from '@chatbox/tools';
import { ApiClient } from '@chatbox/server-testing';

export type ApiProcess = { proc: ManagedProcess; baseUrl: string; client: ApiClient };

/**
 * Real api and worker processes on free loopback ports, with a database and Redis prefix of
 * their own: other test files of the run have in-process workers and outbox relays that would
 * otherwise take this cluster's jobs and outbox rows. stopAll() kills every process started here.
 */
export class Cluster {
  private readonly procs: ManagedProcess[] = [];
  private readonly quiet = process.env.E2E_VERBOSE !== '1';
  private readonly serverUrl = databaseUrlFor(process.env.DATABASE_URL ?? '', 'postgres');
  private readonly databaseName = `${new URL(process.env.DATABASE_URL ?? '').pathname.slice(1)}_e2e_${process.pid}`;
  readonly databaseUrl = databaseUrlFor(this.serverUrl, this.databaseName);
  /** Queues and channels of this cluster only (the runner deletes `<prefix>*` afterwards). */
  readonly redisPrefix = `${process.env.REDIS_PREFIX ?? 'chatbox-test'}-c${process.pid}`;

  /** A fresh, migrated database for this cluster. */
  async prepare(): Promise<void> {
    await recreateDatabase(this.serverUrl, this.databaseName);
    await migrate(this.databaseUrl);
  }

  private env(extra: Record<string, string>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      API_HOST: '127.0.0.1',
      DATABASE_URL: this.databaseUrl,
      REDIS_PREFIX: this.redisPrefix,
      // small pools: several suites share one PostgreSQL (max_connections 100)
      DATABASE_POOL_SIZE: '4',
      ...extra,
    };
    delete env.NODE_TEST_CONTEXT; // the children are servers, not test files
    return env;
  }

  async startApi(name: string, extra: Record<string, string> = {}, { quiet = this.quiet } = {}): Promise<ApiProcess> {
    const port = await freePort();
    const proc = launchApi({ env: this.env({ API_PORT: String(port), ...extra }), name, quiet });
    this.procs.push(proc);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/api/health`, proc);
    return { proc, baseUrl, client: new ApiClient(baseUrl) };
  }

  /** A files process (the transfer routes only), at its lower CPU priority as `npm start` runs it. */
  async startFiles(name: string, extra: Record<string, string> = {}): Promise<ApiProcess> {
    const port = await freePort();
    const proc = launchFiles({ env: this.env({ FILES_PORT: String(port), ...extra }), name, quiet: this.quiet });
    this.procs.push(proc);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/api/health`, proc);
    return { proc, baseUrl, client: new ApiClient(baseUrl) };
  }

  startWorker(name: string, extra: Record<string, string> = {}, { quiet = this.quiet } = {}): ManagedProcess {
    const proc = launchWorker({ env: this.env(extra), name, quiet });
    this.procs.push(proc);
    return proc;
  }

  /** Resolves once n fan-out workers are connected to the queue (what BullMQ itself reports). */
  async waitForWorkers(n: number, timeoutMs = 60_000): Promise<void> {
    const connection = new Redis(process.env.REDIS_URL ?? '', { maxRetriesPerRequest: null });
    const queue = new Queue(FANOUT_QUEUE, { connection, prefix: this.redisPrefix });
    try {
      await waitFor(async () => (await queue.getWorkersCount()) >= n, `${n} fan-out worker(s)`, timeoutMs);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }

  /** kill -9: no shutdown hooks, no cleanup. */
  async kill(proc: ManagedProcess): Promise<void> {
    await stopProcess(proc, 'SIGKILL');
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.procs.map((p) => stopProcess(p, 'SIGTERM', 5_000)));
    const client = new Client({ connectionString: this.serverUrl });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${this.databaseName}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
}
