import { DeliveryTracker } from '../delivery-tracker';
import { BenchUser, messageBody } from '../bench-user';
import { nextClientMsgId, PhaseContext } from '../phase-context';
import type { PhaseResult } from '../driver-protocol';

/**
 * Phase B: one user sends to `all` at a steady pace; every other connected user should get each
 * message. Runs once per user count, registering and connecting more users as needed; users
 * beyond the setup population are disconnected afterwards so later phases see the setup load.
 * With socket holders (DriverConfig.holders), those extra users' sockets live in the holders'
 * processes, which report each receipt with its time; phase R, when it follows, reuses them.
 */
export async function fanoutPhase(ctx: PhaseContext): Promise<PhaseResult> {
  const { messages, intervalMs, userCounts } = ctx.config.phaseB;
  const runs = [];
  const problems: string[] = [];
  const holders = ctx.holders();
  for (const count of userCounts) {
    if (ctx.pop.users.length < count) {
      const added = await ctx.pop.register(count);
      if (!holders) await ctx.pop.connect(added);
    }
    if (holders) {
      const held = new Set(holders.users);
      const toHold = ctx.pop.users.slice(ctx.config.users, count).filter((u) => !held.has(u));
      if (toHold.length > 0) {
        const c = await holders.connect(toHold);
        ctx.log(`B: ${toHold.length} more sockets in ${ctx.config.holders} holders in ${c.ms} ms${c.failed ? `, ${c.failed} failed: ${c.errors.join('; ')}` : ''}`);
        if (c.failed) problems.push(`${count} users: ${c.failed} sockets did not connect (${c.errors.join('; ')})`);
      }
    }
    await ctx.pop.connect(ctx.pop.users.slice(0, Math.min(count, ctx.config.users)).filter((u) => !u.socket));
    ctx.mark(`B@${count}`, 'start');
    const run = await fanOut(ctx, count, messages, intervalMs);
    ctx.mark(`B@${count}`, 'end');
    runs.push(run);
    ctx.log(`B ${count} users: ${run.delivered}/${run.expected} delivered, p50 ${run.latencyMs.p50} p99 ${run.latencyMs.p99} max ${run.latencyMs.max} ms`);
    if (run.lost || run.failed || run.duplicates) problems.push(`${count} users: ${run.lost} lost, ${run.failed} sends answered with an error, ${run.duplicates} duplicates`);
  }
  ctx.pop.disconnect(ctx.pop.users.slice(ctx.config.users));
  // phase R restarts the api under these sockets; any other phase measures the setup load
  const rFollows = ctx.config.phases.indexOf('R') > ctx.config.phases.indexOf('B');
  if (holders && !rFollows) holders.close();
  return { phase: 'B', ok: problems.length === 0, problems, runs };
}

export async function fanOut(ctx: PhaseContext, userCount: number, messages: number, intervalMs: number) {
  const users = ctx.pop.users.slice(0, userCount);
  const held = new Set(ctx.holders()?.users ?? []);
  // a held socket is counted as online: the holders said it connected (a drop shows as lost)
  const online = users.filter((u: BenchUser) => u.socket?.connected || held.has(u));
  const [sender, ...recipients] = online;
  const recipientIds = recipients.map((u) => u.id);
  const tracker = new DeliveryTracker();
  const unlisten = ctx.router.listenWithReceipts(tracker);
  const body = messageBody(ctx.config.bodyBytes, 'B');
  for (let i = 0; i < messages; i++) {
    const id = nextClientMsgId(`B${userCount}`);
    tracker.expect(id, sender.id, recipientIds);
    sender.send(ctx.pop.allId, id, body).then(
      (m) => tracker.acked(id, m),
      (err: Error) => tracker.failed(id, err.message),
    );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  await tracker.settle(ctx.config.settleMs);
  unlisten();
  return { connectedUsers: online.length, recipients: recipients.length, messages, intervalMs, heldSockets: held.size, ...tracker.summary() };
}
