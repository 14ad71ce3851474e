import { rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLocalPostgres, startLocalRedis, STATE_DIR, stopLocalPostgres, stopLocalRedis } from '@chatbox/tools';
import { judge } from './drill-verdict';
import { DrillRig, prepareRig, sleep, teardownRig } from './drill-setup';

export type DrillResult = { drill: string; ok: boolean; problems: string[]; timeline: Record<string, number>; facts: Record<string, unknown> };
export type MachineServices = { postgresServerUrl: string; redisUrl: string };
/** rate overrides the drill's own traffic rate (msgs/s), e.g. on a machine too busy for it. */
export type DrillOptions = { rate?: number; users?: number };
export type Drill = { name: string; run: (services: MachineServices, opts: DrillOptions) => Promise<DrillResult> };

const USERS = 200;

/** Traffic, a fault at 5 s, recovery, more traffic, then the verdict; the timeline is in ms from traffic start. */
async function scripted(
  name: string,
  rig: DrillRig,
  rate: number,
  requireLive: boolean,
  fault: (mark: (event: string) => void) => Promise<void>,
  extraProblems: () => string[] = () => [],
): Promise<DrillResult> {
  const t0 = performance.now();
  const timeline: Record<string, number> = {};
  const mark = (event: string) => {
    timeline[event] = Math.round(performance.now() - t0);
    rig.log(event);
  };
  try {
    rig.traffic.start(rate);
    await sleep(5000);
    await fault(mark);
    await sleep(10_000);
    rig.traffic.stop();
    mark('traffic stopped');
    await rig.traffic.drain();
    const retry = await rig.traffic.retryUnacknowledged(rig.pop);
    mark('unacknowledged sends retried');
    if (retry.stillFailing) rig.log(`${retry.stillFailing} sends still failing after retries`);
    const verdict = await judge({ databaseUrl: rig.stack.databaseUrl, traffic: rig.traffic, clients: rig.clients, requireLive });
    const problems = [...verdict.problems, ...extraProblems()];
    verdict.facts.retries = retry;
    if (retry.stillFailing) problems.push(`${retry.stillFailing} sends still refused after ${retry.retried} retries`);
    return { drill: name, ok: problems.length === 0, problems, timeline, facts: { rate, users: rig.clients.length, ...verdict.facts } };
  } finally {
    await teardownRig(rig);
  }
}

const workerKill: Drill = {
  name: 'worker-kill',
  async run(services, opts) {
    const rig = await prepareRig('worker-kill', { ...services, apis: 1, workers: 1 }, opts.users ?? USERS);
    return scripted('worker-kill', rig, opts.rate ?? 400, true, async (mark) => {
      await rig.stack.kill(rig.stack.workers[0]);
      mark('worker killed (SIGKILL)');
      await sleep(3000);
      await rig.stack.startWorker();
      mark('new worker started');
    });
  },
};

const apiKill: Drill = {
  name: 'api-kill',
  async run(services, opts) {
    const rig = await prepareRig('api-kill', { ...services, apis: 2, workers: 1 }, opts.users ?? USERS);
    return scripted('api-kill', rig, opts.rate ?? 200, true, async (mark) => {
      await rig.stack.kill(rig.stack.apis[0]);
      mark('api-1 killed (SIGKILL)');
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
      return await scripted('redis-restart', rig, opts.rate ?? 200, false, async (mark) => {
        await stopLocalRedis(dir);
        mark('redis stopped');
        await sleep(3000);
        await startLocalRedis(dir, { port });
        mark('redis started');
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
      return await scripted(
        'postgres-restart',
        rig,
        opts.rate ?? 200,
        true,
        async (mark) => {
          stopLocalPostgres(dir);
          mark('postgres stopped');
          await sleep(1500);
          healthDuringOutage.push((await fetch(`${rig.stack.apis[0].url}/api/health`)).status);
          await sleep(1500);
          await startLocalPostgres(dir, { port });
          mark('postgres started');
        },
        () => {
          const errors = rig.traffic.counts().errors;
          // 503 is the contract's answer while the database is down; a timeout means a send hung
          const wrong = Object.keys(errors).filter((code) => code !== 'unavailable');
          return [
            ...(wrong.length ? [`sends failed with ${wrong.map((c) => `${c} x${errors[c]}`).join(', ')} (only 503 unavailable is expected)`] : []),
            ...(healthDuringOutage.some((s) => s !== 503) ? [`/api/health answered ${healthDuringOutage} while PostgreSQL was down`] : []),
          ];
        },
      );
    } finally {
      stopLocalPostgres(dir);
    }
  },
};

export const DRILLS: Drill[] = [workerKill, apiKill, redisRestart, postgresRestart];

/** The drills' own Redis and PostgreSQL, stopped when a drill run is interrupted. */
export async function stopOwnedServices(): Promise<void> {
  await stopLocalRedis(path.join(STATE_DIR, 'drill-redis')).catch(() => undefined);
  try {
    stopLocalPostgres(path.join(STATE_DIR, 'drill-postgres'));
  } catch {
    // not running
  }
}
