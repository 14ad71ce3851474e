import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { RATE_LIMIT_NAMES } from '@chatbox/server-config';
import {
  databaseUrlFor,
  deleteRedisKeys,
  freePort,
  launchApi,
  launchFiles,
  launchWorker,
  ManagedProcess,
  migrate,
  recreateDatabase,
  stopProcess,
  waitForHttp,
} from '@chatbox/tools';

export type StackOptions = {
  /** A PostgreSQL server URL (database /postgres); the stack's own database is created on it. */
  postgresServerUrl: string;
  redisUrl: string;
  databaseName: string;
  apis: number;
  workers: number;
  /** A files process (the transfer routes, at FILES_NICE), as `npm start` runs one (default: none). */
  files?: boolean;
  /** Extra environment for the server processes (BCRYPT_COST, pool sizes...). */
  env?: NodeJS.ProcessEnv;
  /** Extra node flags for the server processes (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** And for the api processes only (e.g. --inspect=PORT, which two processes cannot share). */
  apiNodeArgs?: string[];
  /** Drop message search's column and index after migrating: what they cost a send (--without-search-index). */
  withoutSearchIndex?: boolean;
};

export type ApiProcess = ManagedProcess & { url: string; port: number };

/**
 * A production-mode ChatBox of its own: a freshly migrated database, a Redis key prefix, a
 * generated JWT secret, N api and M worker processes from the compiled tree, on loopback ports.
 */
export class BenchStack {
  /** Stacks not stopped yet, so an interrupted bench or drill can stop its processes. */
  static readonly running = new Set<BenchStack>();
  readonly apis: ApiProcess[] = [];
  readonly workers: ManagedProcess[] = [];
  files?: ApiProcess;
  readonly databaseUrl: string;
  readonly redisPrefix = `chatbox-bench-${process.pid}`;
  private readonly baseEnv: NodeJS.ProcessEnv;
  private launched = { api: 0, worker: 0 };

  private constructor(readonly options: StackOptions) {
    this.databaseUrl = databaseUrlFor(options.postgresServerUrl, options.databaseName);
    this.baseEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      JWT_SECRET: randomBytes(32).toString('hex'),
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: options.redisUrl,
      REDIS_PREFIX: this.redisPrefix,
      API_HOST: '127.0.0.1',
      // a free operations port each: the default ones (9464/9465) clash with any other stack on the machine
      OPS_PORT: '0',
      // PostgreSQL session settings for a diagnosis (e.g. '-c jit=off', auto_explain), when given
      ...(process.env.PGOPTIONS ? { PGOPTIONS: process.env.PGOPTIONS } : {}),
      ...unlimitedRateLimits(),
      ...options.env,
    };
  }

  static async start(options: StackOptions): Promise<BenchStack> {
    const stack = new BenchStack(options);
    BenchStack.running.add(stack);
    await recreateDatabase(options.postgresServerUrl, options.databaseName);
    await migrate(stack.databaseUrl);
    if (options.withoutSearchIndex) await dropSearchIndex(stack.databaseUrl);
    try {
      await Promise.all([
        ...Array.from({ length: options.apis }, () => stack.startApi()),
        ...Array.from({ length: options.workers }, () => stack.startWorker()),
        ...(options.files ? [stack.startFiles()] : []),
      ]);
    } catch (err) {
      await stack.stop();
      throw err;
    }
    return stack;
  }

  get env(): NodeJS.ProcessEnv {
    return this.baseEnv;
  }

  async startApi(port?: number): Promise<ApiProcess> {
    const apiPort = port ?? (await freePort());
    const name = `api-${++this.launched.api}`;
    const env = { ...this.baseEnv, API_PORT: String(apiPort), WEB_ORIGIN: `http://127.0.0.1:${apiPort}` };
    const proc = launchApi({ env, name, nodeArgs: [...(this.options.nodeArgs ?? []), ...(this.options.apiNodeArgs ?? [])] });
    const api: ApiProcess = Object.assign(proc, { url: `http://127.0.0.1:${apiPort}`, port: apiPort });
    this.apis.push(api);
    await waitForHttp(`${api.url}/api/health`, proc);
    return api;
  }

  async startFiles(): Promise<ApiProcess> {
    const port = await freePort();
    const env = { ...this.baseEnv, FILES_PORT: String(port) };
    const proc = launchFiles({ env, nodeArgs: this.options.nodeArgs });
    this.files = Object.assign(proc, { url: `http://127.0.0.1:${port}`, port });
    await waitForHttp(`${this.files.url}/api/health`, proc);
    return this.files;
  }

  async startWorker(): Promise<ManagedProcess> {
    const proc = launchWorker({ env: this.baseEnv, name: `worker-${++this.launched.worker}`, nodeArgs: this.options.nodeArgs });
    this.workers.push(proc);
    await workerStarted(proc);
    return proc;
  }

  /**
   * A deploy's restart of api `index`: SIGINT (drain, release presence, close the sockets), then
   * a new process on the same port, in the old one's place in `apis`. Epoch times of each step.
   */
  async restartApi(index: number): Promise<{ api: ApiProcess; stopAt: number; exitedAt: number; readyAt: number }> {
    const old = this.apis[index];
    const stopAt = Date.now();
    await stopProcess(old, 'SIGINT', 30_000);
    const exitedAt = Date.now();
    this.apis.splice(index, 1);
    const api = await this.startApi(old.port);
    this.apis.splice(this.apis.indexOf(api), 1);
    this.apis.splice(index, 0, api);
    return { api, stopAt, exitedAt, readyAt: Date.now() };
  }

  /** SIGKILL: no shutdown hooks, as in a crash. */
  async kill(proc: ManagedProcess): Promise<void> {
    await stopProcess(proc, 'SIGKILL');
  }

  async stop(): Promise<void> {
    BenchStack.running.delete(this);
    // SIGINT lets Nest's shutdown hooks run and node write --cpu-prof profiles.
    await Promise.all([...this.apis, ...this.workers, ...(this.files ? [this.files] : [])].map((p) => stopProcess(p, 'SIGINT')));
    await deleteRedisKeys(this.options.redisUrl, this.redisPrefix).catch(() => undefined);
  }
}

/** The worker has no HTTP port: it is ready once it logs "started" (apps/worker/src/main.ts). */
function workerStarted(proc: ManagedProcess, timeoutMs = 90_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${proc.name} did not start in ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer | string) => {
      if (!String(chunk).includes('started')) return;
      clearTimeout(timer);
      proc.child.stdout?.off('data', onData);
      resolve();
    };
    proc.child.stdout?.on('data', onData);
    void proc.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${proc.name} exited (${code}) before it started`));
    });
  });
}

/** On Ctrl+C: stop every running stack's processes (and run `also`), then exit 130. */
export function stopStacksOnInterrupt(also: () => Promise<void> = async () => undefined): void {
  process.once('SIGINT', () => {
    console.error('[bench] interrupted: stopping server processes');
    void Promise.allSettled([...BenchStack.running].map((s) => s.stop()))
      .then(() => also())
      .finally(() => process.exit(130));
  });
}

/**
 * One loopback address plays hundreds of people: per-IP limits and the per-address socket cap
 * would stop the setup, and per-user limits would cap the measured rates. The limiter and the
 * socket slots still run (and cost what they cost).
 */
export function unlimitedRateLimits(): Record<string, string> {
  return {
    ...Object.fromEntries(RATE_LIMIT_NAMES.map((name) => [`RATE_LIMIT_${name.toUpperCase()}`, '1000000/1'])),
    SOCKETS_PER_USER: '1000000',
    SOCKETS_PER_ADDRESS: '1000000',
  };
}

/** Sends and edits keep the column and its GIN index up to date; nothing but search reads them. */
async function dropSearchIndex(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('ALTER TABLE "Message" DROP COLUMN "searchVector"');
  } finally {
    await client.end();
  }
}
