import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { FANOUT_QUEUE } from '@chatbox/contracts';
import { freePort, waitFor, launchApi, launchWorker, ManagedProcess, stopProcess, waitForHttp } from '@chatbox/tools';
import { ApiClient } from '@chatbox/server-testing';

export type ApiProcess = { proc: ManagedProcess; baseUrl: string; client: ApiClient };

/**
 * Real api and worker processes on the test runner's database and Redis prefix, on free
 * loopback ports. Every process started here is killed by stopAll().
 */
export class Cluster {
  private readonly procs: ManagedProcess[] = [];
  private readonly quiet = process.env.E2E_VERBOSE !== '1';
  /**
   * Queues and channels of this cluster only: test files run side by side, and an in-process
   * worker of another file must not take this cluster's jobs (the runner deletes `<prefix>*`).
   */
  private readonly redisPrefix = `${process.env.REDIS_PREFIX ?? 'chatbox-test'}-c${process.pid}`;

  private env(extra: Record<string, string>): NodeJS.ProcessEnv {
    // small pools: several suites share one PostgreSQL (max_connections 100)
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      API_HOST: '127.0.0.1',
      REDIS_PREFIX: this.redisPrefix,
      DATABASE_POOL_SIZE: '4',
      ...extra,
    };
    delete env.NODE_TEST_CONTEXT; // the children are servers, not test files
    return env;
  }

  async startApi(name: string, extra: Record<string, string> = {}): Promise<ApiProcess> {
    const port = await freePort();
    const proc = launchApi({ env: this.env({ API_PORT: String(port), ...extra }), name, quiet: this.quiet });
    this.procs.push(proc);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/api/health`, proc);
    return { proc, baseUrl, client: new ApiClient(baseUrl) };
  }

  startWorker(name: string): ManagedProcess {
    const proc = launchWorker({ env: this.env({}), name, quiet: this.quiet });
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
  }
}
