import { rmSync } from 'node:fs';
import path from 'node:path';
import { startLocalPostgres, startLocalRedis, STATE_DIR, stopLocalPostgres, stopLocalRedis } from '@chatbox/tools';
import { prepareRig, sleep } from './drill-setup';
import { Drill, onlyUnavailable, scripted, USERS } from './drill-script';
import { flakyNetwork, postgresFailover, stopFailoverPairs } from './network-drills';

export type { Drill, DrillResult } from './drill-script';

const workerKill: Drill = {
  name: 'worker-kill',
  async run(services, opts) {
    const rig = await prepareRig('worker-kill', { ...services, apis: 1, workers: 1 }, opts.users ?? USERS);
    return scripted('worker-kill', rig, {
      rate: opts.rate ?? 400,
      requireLive: true,
      fault: async (mark) => {
        await rig.stack.kill(rig.stack.workers[0]);
        mark('worker killed (SIGKILL)');
        await sleep(3000);
        await rig.stack.startWorker();
        mark('new worker started');
      },
    });
  },
};

const apiKill: Drill = {
  name: 'api-kill',
  async run(services, opts) {
    const rig = await prepareRig('api-kill', { ...services, apis: 2, workers: 1 }, opts.users ?? USERS);
    return scripted('api-kill', rig, {
      rate: opts.rate ?? 200,
      requireLive: true,
      fault: async (mark) => {
        await rig.stack.kill(rig.stack.apis[0]);
        mark('api-1 killed (SIGKILL)');
      },
    });
  },
};

const redisRestart: Drill = {
  name: 'redis-restart',
  async run(services, opts) {
    const dir = path.join(STATE_DIR, 'drill-redis');
    rmSync(dir, { recursive: true, force: true });
    const port = await startLocalRedis(dir);
    if (port === undefined) throw new Error('redis-server not found');
    try {
      const rig = await prepareRig('redis-restart', { ...services, redisUrl: `redis://127.0.0.1:${port}`, apis: 1, workers: 1 }, opts.users ?? USERS);
      // Live delivery is not required: Socket.IO's Redis pub/sub drops what is published while the
      // gateways' subscribers reconnect; clients fill such gaps from the history API.
      return await scripted('redis-restart', rig, {
        rate: opts.rate ?? 200,
        requireLive: false,
        fault: async (mark) => {
          await stopLocalRedis(dir);
          mark('redis stopped');
          await sleep(3000);
          await startLocalRedis(dir, { port });
          mark('redis started');
        },
      });
    } finally {
      await stopLocalRedis(dir).catch(() => undefined);
    }
  },
};

const postgresRestart: Drill = {
  name: 'postgres-restart',
  async run(services, opts) {
    const dir = path.join(STATE_DIR, 'drill-postgres');
    const port = await startLocalPostgres(dir);
    if (port === undefined) throw new Error('PostgreSQL server programs (initdb, pg_ctl) not found');
    const healthDuringOutage: number[] = [];
    try {
      const rig = await prepareRig('postgres-restart', { ...services, postgresServerUrl: `postgresql://postgres@127.0.0.1:${port}/postgres`, apis: 1, workers: 1 }, opts.users ?? USERS);
      return await scripted('postgres-restart', rig, {
        rate: opts.rate ?? 200,
        requireLive: true,
        fault: async (mark) => {
          stopLocalPostgres(dir);
          mark('postgres stopped');
          await sleep(1500);
          healthDuringOutage.push((await fetch(`${rig.stack.apis[0].url}/api/health`)).status);
          await sleep(1500);
          await startLocalPostgres(dir, { port });
          mark('postgres started');
        },
        // 503 is the contract's answer while the database is down; a timeout means a send hung
        extraProblems: () => [
          ...onlyUnavailable(rig),
          ...(healthDuringOutage.some((s) => s !== 503) ? [`/api/health answered ${healthDuringOutage} while PostgreSQL was down`] : []),
        ],
      });
    } finally {
      stopLocalPostgres(dir);
    }
  },
};

export const DRILLS: Drill[] = [workerKill, apiKill, redisRestart, postgresRestart, postgresFailover, flakyNetwork];

/** The drills' own Redis and PostgreSQL, stopped when a drill run is interrupted. */
export async function stopOwnedServices(): Promise<void> {
  stopFailoverPairs();
  await stopLocalRedis(path.join(STATE_DIR, 'drill-redis')).catch(() => undefined);
  try {
    stopLocalPostgres(path.join(STATE_DIR, 'drill-postgres'));
  } catch {
    // not running
  }
}
