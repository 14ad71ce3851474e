import { aptInstall, isDebian, isRoot } from './binaries';
import { isListening } from './ports';
import { startLocalPostgres } from './local-postgres';
import { startLocalRedis } from './local-redis';

export type Services = { postgresServerUrl: string; redisUrl: string; databaseUrl?: string };

import { STATE_DIR } from '../paths';

/**
 * Makes sure PostgreSQL and Redis are reachable, in this order: DATABASE_URL / REDIS_URL when
 * set; servers already on 127.0.0.1:5432 / :6379; project-local servers from the machine's
 * binaries; on Debian as root, install them with apt first; else stop and say what to install.
 */
export async function ensureServices(env: NodeJS.ProcessEnv = process.env): Promise<Services> {
  const postgres = env.DATABASE_URL ? undefined : await ensurePostgres();
  const redisUrl = env.REDIS_URL ?? (await ensureRedis());
  if (env.DATABASE_URL) {
    // libpq's multi-host form (host1:port1,host2:port2) is no WHATWG URL; it names its database
    if (!URL.canParse(env.DATABASE_URL)) return { postgresServerUrl: env.DATABASE_URL, redisUrl, databaseUrl: env.DATABASE_URL };
    const url = new URL(env.DATABASE_URL);
    const database = url.pathname.slice(1);
    url.pathname = '/postgres';
    return { postgresServerUrl: url.toString(), redisUrl, databaseUrl: database ? env.DATABASE_URL : undefined };
  }
  return { postgresServerUrl: postgres!, redisUrl };
}

async function ensurePostgres(): Promise<string> {
  const url = (port: number) => `postgresql://postgres@127.0.0.1:${port}/postgres`;
  if (await isListening(5432)) return url(5432);
  let port = await startLocalPostgres(STATE_DIR);
  if (port === undefined && isDebian() && isRoot()) {
    aptInstall(['postgresql']);
    port = await startLocalPostgres(STATE_DIR);
  }
  if (port === undefined) {
    throw new Error(
      'PostgreSQL is not reachable on 127.0.0.1:5432 and no PostgreSQL server programs (initdb, pg_ctl) were found.\n' +
        'Install PostgreSQL 15+ (Debian/Ubuntu: apt-get install postgresql) or set DATABASE_URL.',
    );
  }
  console.log(`[services] started a project-local PostgreSQL on 127.0.0.1:${port} (.local/postgres)`);
  return url(port);
}

async function ensureRedis(): Promise<string> {
  if (await isListening(6379)) return 'redis://127.0.0.1:6379';
  let port = await startLocalRedis(STATE_DIR);
  if (port === undefined && isDebian() && isRoot()) {
    aptInstall(['redis-server']);
    port = await startLocalRedis(STATE_DIR);
  }
  if (port === undefined) {
    throw new Error(
      'Redis is not reachable on 127.0.0.1:6379 and no redis-server program was found.\n' +
        'Install Redis 7+ (Debian/Ubuntu: apt-get install redis-server) or set REDIS_URL.',
    );
  }
  console.log(`[services] started a project-local Redis on 127.0.0.1:${port} (.local/redis)`);
  return `redis://127.0.0.1:${port}`;
}
