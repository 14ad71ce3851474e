import { DeliveryTracker } from '../delivery-tracker';
import { messageBody } from '../bench-user';
import { nextClientMsgId, PhaseContext } from '../phase-context';
import type { PhaseResult } from '../driver-protocol';

/**
 * Phase B: one user sends to `all` at a steady pace; every other connected user should get each
 * message. Runs once per user count, registering and connecting more users as needed; users
 * beyond the setup population are disconnected afterwards so later phases see the setup load.
 */
export async function fanoutPhase(ctx: PhaseContext): Promise<PhaseResult> {
  const { messages, intervalMs, userCounts } = ctx.config.phaseB;
  const runs = [];
  const problems: string[] = [];
  for (const count of userCounts) {
    if (ctx.pop.users.length < count) {
      const added = await ctx.pop.register(count);
      await ctx.pop.connect(added);
      ctx.log(`B: ${count} users connected`);
    }
    await ctx.pop.connect(ctx.pop.users.slice(0, count).filter((u) => !u.socket));
    const run = await fanOut(ctx, count, messages, intervalMs);
    runs.push(run);
    ctx.log(`B ${count} users: ${run.delivered}/${run.expected} delivered, p50 ${run.latencyMs.p50} p99 ${run.latencyMs.p99} max ${run.latencyMs.max} ms`);
    if (run.lost || run.failed || run.duplicates) problems.push(`${count} users: ${run.lost} lost, ${run.failed} sends answered with an error, ${run.duplicates} duplicates`);
  }
  ctx.pop.disconnect(ctx.pop.users.slice(ctx.config.users));
  return { phase: 'B', ok: problems.length === 0, problems, runs };
}

async function fanOut(ctx: PhaseContext, userCount: number, messages: number, intervalMs: number) {
  const online = ctx.pop.users.slice(0, userCount).filter((u) => u.socket?.connected);
  const [sender, ...recipients] = online;
  const recipientIds = recipients.map((u) => u.id);
  const tracker = new DeliveryTracker();
  const unlisten = ctx.router.listen(tracker);
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
  return { connectedUsers: online.length, recipients: recipients.length, ...tracker.summary() };
}
