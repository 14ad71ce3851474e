import { BenchToDriver, DRIVER_CONFIG_ENV, DriverConfig, DriverToBench, PhaseName, PhaseResult } from './driver-protocol';
import { MessageRouter } from './message-router';
import { Population } from './population';
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
};

/**
 * The load driver: a child process of the bench that speaks only the public REST + Socket.IO
 * contract, runs the phases in order and reports each result to the bench over IPC.
 */
async function main(): Promise<void> {
  const config = JSON.parse(process.env[DRIVER_CONFIG_ENV] ?? '') as DriverConfig;
  const send = (m: DriverToBench) => process.send?.(m);
  const pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let nextRequest = 0;
  process.on('message', (m: BenchToDriver) => {
    const p = pending.get(m.requestId);
    pending.delete(m.requestId);
    if (m.error) p?.reject(new Error(m.error));
    else p?.resolve();
  });
  const router = new MessageRouter();
  const ctx: PhaseContext = {
    config,
    pop: new Population(config.apiUrls, config.runId, router.sink),
    router,
    log: (line) => console.error(`[driver] ${line}`),
    mark: (label, edge) => send({ type: 'mark', label, edge }),
    seedHistory: (conversationId, senderId, count) =>
      new Promise((resolve, reject) => {
        const requestId = ++nextRequest;
        pending.set(requestId, { resolve, reject });
        send({ type: 'seed-history', requestId, conversationId, senderId, count, bodyBytes: config.bodyBytes });
      }),
    restartApi: () =>
      new Promise((resolve, reject) => {
        const requestId = ++nextRequest;
        pending.set(requestId, { resolve, reject });
        send({ type: 'restart-api', requestId });
      }),
  };
  send({ type: 'phase', result: await setupPhase(ctx) });
  for (const name of config.phases) {
    const quietAfterMs = await router.quiesce();
    if (quietAfterMs > 2500) ctx.log(`waited ${quietAfterMs} ms for the servers' backlog before phase ${name}`);
    send({ type: 'phase', result: { ...(await PHASES[name](ctx)), quietAfterMs } });
  }
  ctx.pop.disconnect(ctx.pop.users);
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
