import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { ALIAS_HOOK, DIST_SERVER, REPO_ROOT } from '../paths';
import { waitFor } from '../services/ports';

export type ManagedProcess = { name: string; child: ChildProcess; exited: Promise<number | null> };

export type LaunchOptions = {
  env: NodeJS.ProcessEnv;
  name?: string;
  quiet?: boolean;
  /** Extra node flags (e.g. --cpu-prof, which NODE_OPTIONS does not accept). */
  nodeArgs?: string[];
  /**
   * A lower CPU priority (nice value), set by starting through `nice` so that every thread has it
   * (setpriority on a running process reaches its main thread only, not V8's or libuv's threads).
   */
  nice?: number;
};

/**
 * The V8 heap limit of every server process, unless NODE_OPTIONS already sets one (the Dockerfile
 * sets the same). With V8's default on a large machine (4 GB here) garbage piles up long before a
 * full collection: the api reached 450-590 MB RSS after a load test with ~50 MB live; with 1 GB
 * it collects sooner and stayed under 200 MB (bench/README.md), and 1 GB still holds the live
 * heap of well over 10,000 sockets (~25 KB each).
 */
const SERVER_HEAP_LIMIT = '--max-old-space-size=1024';

const withHeapLimit = (nodeOptions = ''): string =>
  nodeOptions.includes('--max-old-space-size') ? nodeOptions : `${nodeOptions} ${SERVER_HEAP_LIMIT}`.trim();

/** Starts a compiled server entry point (dist/server/...) as its own process. */
export function launchNode(entry: string, { env, name = path.basename(entry), quiet = false, nodeArgs = [], nice = 0 }: LaunchOptions): ManagedProcess {
  const command = [process.execPath, ...nodeArgs, '-r', ALIAS_HOOK, path.join(DIST_SERVER, entry)];
  // nice execs node: the child's pid is node's
  if (nice !== 0) command.unshift('nice', '-n', String(nice));
  const child = spawn(command[0]!, command.slice(1), {
    cwd: REPO_ROOT,
    env: { ...env, NODE_OPTIONS: withHeapLimit(env.NODE_OPTIONS) },
    stdio: ['ignore', quiet ? 'ignore' : 'pipe', quiet ? 'ignore' : 'pipe'],
  });
  prefixOutput(child, name);
  return { name, child, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

export const launchApi = (opts: LaunchOptions) => launchNode('apps/api/src/main.js', { name: 'api', ...opts });
export const launchWorker = (opts: LaunchOptions) => launchNode('apps/worker/src/main.js', { name: 'worker', ...opts });
/** The files process's CPU priority wherever we start one (npm start, tests, bench): the api's messages come first. */
export const FILES_NICE = 10;
export const launchFiles = (opts: LaunchOptions) => launchNode('apps/files/src/main.js', { name: 'files', nice: FILES_NICE, ...opts });

/**
 * Starts the built Next.js app behind its small server (web-server.ts), which forwards /api and
 * /socket.io to the api given by API_ORIGIN or API_PORT in env, and the transfer routes to the
 * files process given by FILES_ORIGIN or FILES_PORT (to the api when neither is set).
 */
export function launchWeb({ env, name = 'web', quiet = false }: LaunchOptions): ManagedProcess {
  // the web app is always a production build, whatever mode the api runs in
  return launchNode('tools/src/platform/web-server.js', { name, quiet, env: { ...env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' } });
}

function prefixOutput(child: ChildProcess, name: string): void {
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line) out.write(`[${name}] ${line}\n`);
    });
  }
}

/** Resolves once url answers HTTP 200, or rejects when the process dies first or time runs out. */
export async function waitForHttp(url: string, proc?: ManagedProcess, timeoutMs = 60_000): Promise<void> {
  let dead = false;
  void proc?.exited.then(() => (dead = true));
  await waitFor(async () => {
    if (dead) throw new Error(`${proc?.name} exited before ${url} answered`);
    try {
      return (await fetch(url)).status === 200;
    } catch {
      return false;
    }
  }, url, timeoutMs);
}

export async function stopProcess(proc: ManagedProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill(signal);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
  await proc.exited;
  clearTimeout(timer);
}
