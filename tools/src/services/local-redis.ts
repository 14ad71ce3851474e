import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { findExecutable } from './binaries';
import { freePort, isListening, waitFor } from './ports';

/** A project-local Redis under .local/redis, configured as BullMQ needs it (noeviction, AOF). */
export async function startLocalRedis(stateDir: string, opts: { port?: number } = {}): Promise<number | undefined> {
  const redisServer = findExecutable('redis-server');
  if (!redisServer) return undefined;
  const dir = path.join(stateDir, 'redis');
  const portFile = path.join(stateDir, 'redis.port');
  if (existsSync(portFile)) {
    const port = Number(readFileSync(portFile, 'utf8'));
    if (await isListening(port)) return port;
  }
  mkdirSync(dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  execFileSync(redisServer, [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--daemonize', 'yes',
    '--dir', dir,
    '--pidfile', path.join(dir, 'redis.pid'),
    '--logfile', path.join(dir, 'redis.log'),
    '--appendonly', 'yes',
    '--save', '',
    '--maxmemory-policy', 'noeviction',
  ]);
  await waitFor(() => isListening(port), `Redis on port ${port}`);
  writeFileSync(portFile, String(port));
  return port;
}

/** Stops the project-local Redis of stateDir: SHUTDOWN (the AOF is flushed), then waits until the port is free. */
export async function stopLocalRedis(stateDir: string): Promise<void> {
  const portFile = path.join(stateDir, 'redis.port');
  if (!existsSync(portFile)) return;
  const port = Number(readFileSync(portFile, 'utf8'));
  if (!(await isListening(port))) return;
  const redisCli = findExecutable('redis-cli');
  if (!redisCli) throw new Error('redis-cli not found');
  execFileSync(redisCli, ['-p', String(port), 'shutdown'], { stdio: 'pipe' });
  await waitFor(async () => !(await isListening(port)), `Redis on port ${port} to stop`);
}
