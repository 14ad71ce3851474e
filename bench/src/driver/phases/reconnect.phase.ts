import { fanOut } from './fanout.phase';
import { PhaseContext } from '../phase-context';
import type { PhaseResult } from '../driver-protocol';
import { addSeen, emptyHolderReport } from '../holder-protocol';

/** How often the holders are asked how many sockets are back. */
const POLL_MS = 250;

/**
 * Phase R, reconnect after an api restart: `phaseR.users` connected (the users beyond setup's in
 * the socket holders, with reconnection on as the web client has it), then api-1 is stopped as a
 * deploy stops it (SIGINT: drain, release presence, close) and a new one started on its port.
 * Measured: from the stop until every socket is connected again (target: within deadlineMs),
 * the refused handshakes and reconnect errors, the presence changes the sockets received per
 * second (a presence storm would be ~users x users of them), and (by the bench) the CPU of every
 * process over the phase. The observation lasts until deadlineMs + 10 s after the stop, so
 * presence announced late (after a grace) is counted too. Then 3 messages to `all` check that
 * every reconnected socket gets its deliveries again.
 */
export async function reconnectPhase(ctx: PhaseContext): Promise<PhaseResult> {
  const { users: count, deadlineMs } = ctx.config.phaseR;
  const holders = ctx.holders();
  if (!holders) return { phase: 'R', ok: false, problems: ['phase R needs socket holders (--holders N)'] };
  await ctx.pop.register(count);
  const held = new Set(holders.users);
  const toHold = ctx.pop.users.slice(ctx.config.users, count).filter((u) => !held.has(u));
  if (toHold.length > 0) await holders.connect(toHold);
  const own = ctx.pop.users.slice(0, Math.min(count, ctx.config.users));
  await ctx.pop.connect(own.filter((u) => !u.socket?.connected));
  const restartedUrl = ctx.config.apiUrls[0];
  const ownThere = own.filter((u) => u.apiUrl === restartedUrl);
  const heldThere = holders.users.filter((u) => u.apiUrl === restartedUrl).length;
  const before = await holders.report();
  // settle: connects still announcing presence belong to the set-up, not to the restart
  await new Promise((r) => setTimeout(r, 2000));
  await holders.report();

  ctx.mark('R', 'start');
  const requestedAt = Date.now();
  const restarted = await ctx.restartApi(0);
  // the driver's own users (setup's, no automatic reconnection) come back as a client would
  for (const u of ownThere) u.disconnect();
  const ownBack = ctx.pop.connect(ownThere, { reconnection: false }).then(() => Date.now());
  const totals = emptyHolderReport();
  // from the new api's readiness: stopping 10,000 sockets and starting a process on a busy
  // machine take tens of seconds of their own (reported apart); the presence grace runs from the stop
  const observeUntil = Math.max(restarted.readyAt, restarted.stopAt) + deadlineMs + 10_000;
  let allBackAt = 0;
  while (Date.now() < observeUntil) {
    const r = await holders.report();
    totals.connected = r.connected;
    addSeen(totals, r);
    if (!allBackAt && r.connected === holders.users.length && totals.reconnects >= heldThere) allBackAt = totals.lastConnectAt;
    await new Promise((res) => setTimeout(res, POLL_MS));
  }
  const ownBackAt = await ownBack.catch(() => 0);
  ctx.mark('R', 'end');

  const lastBackAt = Math.max(allBackAt, ownBackAt);
  const problems: string[] = [];
  // attempts while no api listened (transport errors: connection refused) are the clients'
  // backoff, as a deploy makes them; an error from the running api is a failure
  const whileDown = countBy(totals.errors.filter(([, at]) => at < restarted.readyAt));
  const afterReady = countBy(totals.errors.filter(([, at]) => at >= restarted.readyAt));
  const errors = Object.values(afterReady).reduce((a, b) => a + b, 0);
  if (!allBackAt) problems.push(`${totals.connected} of ${holders.users.length} held sockets connected ${Math.round((observeUntil - restarted.readyAt) / 1000)} s after the new api was ready`);
  if (!ownBackAt) problems.push('the driver\'s own users did not reconnect');
  if (errors > 0) problems.push(`${errors} connect errors from the restarted api: ${JSON.stringify(afterReady)}`);
  const perSecond = Object.values(totals.presenceBySecond);
  const presenceChanges = perSecond.reduce((a, b) => a + b, 0);

  // deliveries after the restart: every socket, reconnected or not, gets them
  const after = await fanOut(ctx, count, 3, 500);
  if (after.lost || after.failed || after.duplicates) problems.push(`after the restart: ${after.lost} lost, ${after.failed} failed, ${after.duplicates} duplicates`);
  ctx.log(`R: ${heldThere + ownThere.length} sockets on the restarted api back ${lastBackAt ? Math.round(lastBackAt - restarted.stopAt) : '-'} ms after the stop; ${errors} errors; ${presenceChanges} presence changes received`);
  // later phases measure the setup load
  ctx.pop.disconnect(ctx.pop.users.slice(ctx.config.users));
  holders.close();
  return {
    phase: 'R',
    ok: problems.length === 0,
    problems,
    users: count,
    socketsOnRestartedApi: heldThere + ownThere.length,
    connectedBefore: before.connected + own.length,
    restart: {
      requestToStopMs: restarted.stopAt - requestedAt,
      stopToExitMs: restarted.exitedAt - restarted.stopAt,
      exitToReadyMs: restarted.readyAt - restarted.exitedAt,
      newApi: restarted.name,
    },
    allBackAfterStopMs: lastBackAt ? Math.round(lastBackAt - restarted.stopAt) : null,
    allBackAfterReadyMs: lastBackAt ? Math.round(lastBackAt - restarted.readyAt) : null,
    deadlineMs,
    reconnects: totals.reconnects,
    disconnects: totals.disconnects,
    errors: afterReady,
    attemptsWhileDown: whileDown,
    presence: {
      changesReceived: presenceChanges,
      frames: totals.presenceFrames,
      peakChangesPerSecond: perSecond.length ? Math.max(...perSecond) : 0,
      observedSecondsFromStop: Math.round((observeUntil - restarted.stopAt) / 1000),
    },
    deliveriesAfter: { expected: after.expected, delivered: after.delivered, lost: after.lost, latencyMs: after.latencyMs },
  };
}

function countBy(errors: Array<[string, number]>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [message] of errors) counts[message] = (counts[message] ?? 0) + 1;
  return counts;
}
