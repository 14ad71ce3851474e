import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { findExecutable } from './binaries';
import { freePort, isListening, waitFor } from './ports';

/** A project-local Redis under .local/redis, configured as BullMQ needs it (noeviction, AOF). */
export async function startLocalRedis(stateDir: string): Promise<number | undefined> {
  const redisServer = findExecutable('redis-server');
  if (!redisServer) return undefined;
  const dir = path.join(stateDir, 'redis');
  const portFile = path.join(stateDir, 'redis.port');
  if (existsSync(portFile)) {
    const port = Number(readFileSync(portFile, 'utf8'));
    if (await isListening(port)) return port;
  }
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
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
