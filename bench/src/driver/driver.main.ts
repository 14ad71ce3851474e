import { BenchToDriver, DRIVER_CONFIG_ENV, DriverConfig, DriverToBench, PhaseName, PhaseResult, RestartedApi } from './driver-protocol';
import { MessageRouter } from './message-router';
import { PASSWORD, Population, UserSeeder } from './population';
import { SocketHolders } from './socket-holders';
import { reconnectPhase } from './phases/reconnect.phase';
import { PhaseContext } from './phase-context';
import { setupPhase } from './phases/setup.phase';
import { groupTrafficPhase } from './phases/group-traffic.phase';
import { fanoutPhase } from './phases/fanout.phase';
import { catchUpPhase } from './phases/catch-up.phase';
import { historyPhase } from './phases/history.phase';
import { mixedTrafficPhase } from './phases/mixed-traffic.phase';
import { coldStartPhase } from './phases/cold-start.phase';

const PHASES: Record<PhaseName, (ctx: PhaseContext) => Promise<PhaseResult>> = {
  'A-cold': coldStartPhase,
  A: groupTrafficPhase,
  B: fanoutPhase,
  C: catchUpPhase,
  D: historyPhase,
  E: mixedTrafficPhase,
  R: reconnectPhase,
};

/**
 * The load driver: a child process of the bench that speaks only the public REST + Socket.IO
 * contract, runs the phases in order and reports each result to the bench over IPC.
 */
async function main(): Promise<void> {
  const config = JSON.parse(process.env[DRIVER_CONFIG_ENV] ?? '') as DriverConfig;
  const send = (m: DriverToBench) => process.send?.(m);
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (e: Error) => void }>();
  let nextRequest = 0;
  process.on('message', (m: BenchToDriver) => {
    const p = pending.get(m.requestId);
    pending.delete(m.requestId);
    if (m.error) p?.reject(new Error(m.error));
    else p?.resolve(m.value);
  });
  /** A request to the bench process, answered with a `reply`. */
  const ask = <T>(request: (requestId: number) => DriverToBench): Promise<T> =>
    new Promise((resolve, reject) => {
      const requestId = ++nextRequest;
      pending.set(requestId, { resolve: resolve as (v: unknown) => void, reject });
      send(request(requestId));
    });
  const router = new MessageRouter();
  const seeder: UserSeeder | undefined = config.seedUsers ? (start, count) => ask((requestId) => ({ type: 'seed-users', requestId, start, count, password: PASSWORD })) : undefined;
  let holders: SocketHolders | undefined;
  const ctx: PhaseContext = {
    config,
    pop: new Population(config.apiUrls, config.runId, router.sink, seeder),
    router,
    log: (line) => console.error(`[driver] ${line}`),
    mark: (label, edge) => send({ type: 'mark', label, edge }),
    seedHistory: (conversationId, senderId, count) =>
      ask<void>((requestId) => ({ type: 'seed-history', requestId, conversationId, senderId, count, bodyBytes: config.bodyBytes })),
    holders: () => {
      if ((!holders || holders.closed) && config.holders > 0) {
        holders = new SocketHolders(config.holders, router);
        // their CPU and memory belong to the driver's in the results
        holders.pids.forEach((pid, k) => send({ type: 'track', name: `driver-holder-${k + 1}`, pid }));
      }
      return holders;
    },
    restartApi: (index) => ask<RestartedApi>((requestId) => ({ type: 'restart-api', requestId, index })),
  };
  send({ type: 'phase', result: await setupPhase(ctx) });
  for (const name of config.phases) {
    const quietAfterMs = await router.quiesce();
    if (quietAfterMs > 2500) ctx.log(`waited ${quietAfterMs} ms for the servers' backlog before phase ${name}`);
    send({ type: 'phase', result: { ...(await PHASES[name](ctx)), quietAfterMs } });
  }
  ctx.pop.disconnect(ctx.pop.users);
  holders?.close();
  send({ type: 'done' });
}

main().then(
  () => process.disconnect?.(),
  (err: unknown) => {
    process.send?.({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies DriverToBench);
    process.exitCode = 1;
    process.disconnect?.();
  },
);
