import { databaseUrlFor, FlakyProxy, FlakyProxyOptions, startPostgresPair, stopPostgresPairs } from '@chatbox/tools';
import { DRILL_DATABASE, prepareRig, sleep } from './drill-setup';
import { Drill, notRestarted, onlyUnavailable, scripted, stuckAfter, USERS } from './drill-script';

/** How long after the fault ends every send must be acknowledged again (a loaded machine is slow to notice). */
const RECOVERY_MS = 5000;

/**
 * PostgreSQL fails over: a primary and a synchronous streaming replica of the drill's own
 * (tools' startPostgresPair, temporary directory, free loopback ports). ChatBox runs on
 * libpq's multi-host DATABASE_URL with target_session_attrs=read-write. 5 s into the traffic
 * the primary crashes (immediate shutdown), 1 s later the replica is promoted, as a failover
 * manager would; api and worker must find the new primary by themselves, without a restart.
 */
export const postgresFailover: Drill = {
  name: 'postgres-failover',
  async run(services, opts) {
    const pair = await startPostgresPair();
    try {
      const failoverUrl = pair.failoverUrl(DRILL_DATABASE);
      const rig = await prepareRig(
        'postgres-failover',
        { ...services, postgresServerUrl: pair.serverUrl(pair.primaryPort), env: { DATABASE_URL: failoverUrl }, apis: 1, workers: 1 },
        opts.users ?? USERS,
      );
      const servers = [...rig.stack.apis, ...rig.stack.workers];
      let crashedAt = 0;
      let promotedAt = 0;
      return await scripted('postgres-failover', rig, {
        rate: opts.rate ?? 200,
        requireLive: true,
        verdictDatabaseUrl: failoverUrl,
        fault: async (mark) => {
          await pair.crashPrimary();
          crashedAt = rig.traffic.elapsedMs();
          mark(`primary (port ${pair.primaryPort}) crashed: immediate shutdown`);
          await sleep(1000);
          await pair.promoteReplica();
          promotedAt = rig.traffic.elapsedMs();
          mark(`replica (port ${pair.replicaPort}) promoted`);
        },
        extraProblems: () => [...onlyUnavailable(rig), ...notRestarted(servers), ...stuckAfter(rig, promotedAt + RECOVERY_MS, `${RECOVERY_MS} ms after the promotion`)],
        extraFacts: () => ({ crashedAt, promotedAt, writes: rig.traffic.failureWindow(crashedAt), databaseUrl: failoverUrl }),
      });
    } finally {
      pair.stop();
    }
  },
};

/**
 * A flaky network: ChatBox reaches PostgreSQL and Redis (the machine's, through the drill's
 * own database and key prefix) only through loopback TCP proxies that delay every chunk, and
 * for 10 s cut random connections every few hundred ms; then 10 s of calm traffic. Live
 * delivery is not required (Socket.IO's Redis pub/sub drops what is published while a cut
 * subscriber reconnects; clients fill such gaps from history), but nothing may be lost and
 * ChatBox must answer again once the network is calm.
 */
export const flakyNetwork: Drill = {
  name: 'flaky-network',
  async run(services, opts) {
    const latency: FlakyProxyOptions = { latencyMs: opts.latencyMs ?? 2, jitterMs: opts.jitterMs ?? 8 };
    const cuts = opts.cuts ?? true;
    const stallMs = opts.stallMs ?? 0;
    const pgProxy = await FlakyProxy.start(loopbackPort(services.postgresServerUrl, 5432), latency);
    const redisProxy = await FlakyProxy.start(loopbackPort(services.redisUrl, 6379), latency);
    try {
      const viaProxy = (url: string, port: number) => Object.assign(new URL(url), { hostname: '127.0.0.1', port: String(port) }).toString();
      const rig = await prepareRig(
        'flaky-network',
        {
          ...services,
          env: { DATABASE_URL: databaseUrlFor(viaProxy(services.postgresServerUrl, pgProxy.port), DRILL_DATABASE), REDIS_URL: viaProxy(services.redisUrl, redisProxy.port) },
          apis: 1,
          workers: 1,
        },
        opts.users ?? USERS,
      );
      const servers = [...rig.stack.apis, ...rig.stack.workers];
      let faultAt = 0;
      let calmAt = 0;
      return await scripted('flaky-network', rig, {
        rate: opts.rate ?? 200,
        requireLive: false,
        fault: async (mark) => {
          if (cuts) {
            pgProxy.startCutting(100, 600);
            redisProxy.startCutting(200, 1200);
          }
          if (stallMs > 0) {
            pgProxy.startStalling(500, 1500, stallMs);
            redisProxy.startStalling(1000, 3000, stallMs);
          }
          faultAt = rig.traffic.elapsedMs();
          mark(`${[cuts && 'cutting', stallMs > 0 && `stalling (${stallMs} ms)`].filter(Boolean).join(' and ') || 'no faults beyond latency:'} connections at random`);
          await sleep(10_000);
          pgProxy.stopCutting();
          redisProxy.stopCutting();
          pgProxy.stopStalling();
          redisProxy.stopStalling();
          // a stall begun just before this still holds its connection for up to stallMs
          calmAt = rig.traffic.elapsedMs() + stallMs;
          mark('network calm (latency stays)');
        },
        extraProblems: () => [...onlyUnavailable(rig), ...notRestarted(servers), ...stuckAfter(rig, calmAt + RECOVERY_MS, `${RECOVERY_MS} ms after the cuts stopped`)],
        extraFacts: () => ({ latency, cuts, stallMs, proxies: { postgres: pgProxy.stats, redis: redisProxy.stats }, writes: rig.traffic.failureWindow(faultAt) }),
      });
    } finally {
      await Promise.all([pgProxy.close(), redisProxy.close()]);
    }
  },
};

/** The drills target this machine only: the service must be on loopback. */
function loopbackPort(url: string, defaultPort: number): number {
  const u = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) throw new Error(`${u.hostname} is not a loopback address: the flaky-network drill only proxies local services`);
  return Number(u.port || defaultPort);
}

export const stopFailoverPairs = stopPostgresPairs;
