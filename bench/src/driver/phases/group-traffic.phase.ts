import { performance } from 'node:perf_hooks';
import type { TMessage } from '@chatbox/contracts';
import { DeliveryTracker, DeliverySummary } from '../delivery-tracker';
import { messageBody, sendOverRest } from '../bench-user';
import { nextClientMsgId, PhaseContext } from '../phase-context';
import type { DriverConfig, PhaseResult } from '../driver-protocol';

export type RateStep = DeliverySummary & {
  rate: number;
  seconds: number;
  achievedRate: number;
  lateAfterSettle: number;
  passed: boolean;
  /** With ephemeral groups in the population: the same figures for each kind of group, side by side. */
  byKind?: { persistent: DeliverySummary; ephemeral: DeliverySummary };
  /** With sends over REST and over the socket in the step: the same figures for each, side by side. */
  byTransport?: { socket: DeliverySummary; rest: DeliverySummary };
};

type Label = 'persistent' | 'ephemeral' | 'socket' | 'rest';

/**
 * Follows every send with `all`, and each also with the trackers of its labels (the kind of its
 * group, ephemeral or persistent; how it was sent, socket or REST), so one step measures them
 * interleaved, under the same load.
 */
class Split {
  readonly by: Record<Label, DeliveryTracker> = { persistent: new DeliveryTracker(), ephemeral: new DeliveryTracker(), socket: new DeliveryTracker(), rest: new DeliveryTracker() };
  private readonly labelsOf = new Map<string, Label[]>();

  constructor(readonly all: DeliveryTracker) {}

  expect(clientMsgId: string, labels: Label[], senderId: string, recipientIds: readonly string[]): void {
    this.labelsOf.set(clientMsgId, labels);
    this.all.expect(clientMsgId, senderId, recipientIds);
    for (const l of labels) this.by[l].expect(clientMsgId, senderId, recipientIds);
  }

  acked(clientMsgId: string, message: TMessage): void {
    this.all.acked(clientMsgId, message);
    for (const l of this.labelsOf.get(clientMsgId) ?? []) this.by[l].acked(clientMsgId, message);
  }

  failed(clientMsgId: string, why: string): void {
    this.all.failed(clientMsgId, why);
    for (const l of this.labelsOf.get(clientMsgId) ?? []) this.by[l].failed(clientMsgId, why);
  }

  received(recipientId: string, message: TMessage): boolean {
    if (!this.all.received(recipientId, message)) return false;
    for (const l of this.labelsOf.get(message.clientMsgId) ?? []) this.by[l].received(recipientId, message);
    return true;
  }
}

/**
 * Open-loop group traffic at a fixed total rate: senders take turns (every user sends to its own
 * group), the schedule never waits for answers. A share of the senders (`restShare`, spread
 * evenly) sends over REST on kept-alive connections, the others over their sockets. Returns the
 * step's deliveries and latencies.
 */
export async function runRateStep(ctx: PhaseContext, rate: number, seconds: number, tag = 'A', restShare = ctx.config.restShare): Promise<RateStep> {
  const senders = ctx.pop.connected().filter((u) => u.groupId);
  const tracker = new DeliveryTracker();
  const split = new Split(tracker);
  const unlisten = ctx.router.listen(split);
  const body = messageBody(ctx.config.bodyBytes, tag);
  const total = Math.round(rate * seconds);
  const overRest = (i: number) => Math.floor((i + 1) * restShare) > Math.floor(i * restShare);
  let issued = 0;
  let turn = 0;
  ctx.mark(`${tag}@${rate}`, 'start');
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000));
      while (issued < due) {
        const n = turn++ % senders.length;
        const sender = senders[n];
        const id = nextClientMsgId(`${tag}${rate}`);
        const rest = overRest(n);
        split.expect(id, [ctx.pop.ephemeralGroups.has(sender.groupId) ? 'ephemeral' : 'persistent', rest ? 'rest' : 'socket'], sender.id, ctx.pop.groupPeers(sender).map((u) => u.id));
        issued++;
        (rest ? sendOverRest(ctx.pop.keepAliveClient(sender), sender, sender.groupId, id, body) : sender.send(sender.groupId, id, body)).then(
          (m) => split.acked(id, m),
          (err: Error) => split.failed(id, err.message),
        );
      }
      if (issued >= total) return resolve();
      setTimeout(tick, 5);
    };
    tick();
  });
  const sendSeconds = (performance.now() - start) / 1000;
  await tracker.settle(ctx.config.settleMs);
  let s = tracker.summary();
  // Late is not lost: give stragglers of an overloaded step more time before calling them lost.
  const lostAtSettle = s.lost;
  if (s.lost > 0 || s.unanswered > 0) {
    await tracker.settle(30_000);
    s = tracker.summary();
  }
  unlisten();
  ctx.mark(`${tag}@${rate}`, 'end');
  const passed = s.lost === 0 && s.failed === 0 && s.timedOut === 0 && s.unanswered === 0 && s.duplicates === 0 && (s.latencyMs.p99 ?? Infinity) <= ctx.config.phaseA.p99LimitMs;
  if (tracker.failures.length) ctx.log(`step ${rate}/s send failures, e.g. ${tracker.failures.slice(0, 3).join('; ')}`);
  const byKind = ctx.pop.ephemeralGroups.size > 0 ? { persistent: split.by.persistent.summary(), ephemeral: split.by.ephemeral.summary() } : undefined;
  const byTransport = restShare > 0 && restShare < 1 ? { socket: split.by.socket.summary(), rest: split.by.rest.summary() } : undefined;
  return { rate, seconds, achievedRate: Math.round(issued / sendSeconds), ...s, lateAfterSettle: lostAtSettle - s.lost, passed, ...(byKind && { byKind }), ...(byTransport && { byTransport }) };
}

/** Doubling from startRate up to maxRate, with the target rates in that range put in their place. */
export function rateLadder({ startRate, maxRate, targetRates, maxSteps }: DriverConfig['phaseA']): number[] {
  const rates = new Set(targetRates.filter((r) => r >= startRate && r <= maxRate));
  for (let rate = startRate; rate <= maxRate; rate *= 2) rates.add(rate);
  return [...rates].sort((a, b) => a - b).slice(0, maxSteps);
}

/** Phase A: rising rates until a step loses messages or its p99 exceeds the limit. */
export async function groupTrafficPhase(ctx: PhaseContext): Promise<PhaseResult> {
  const { stepSeconds } = ctx.config.phaseA;
  const steps: RateStep[] = [];
  let sustained: number | null = null;
  for (const [n, rate] of rateLadder(ctx.config.phaseA).entries()) {
    if (n > 0) await ctx.router.quiesce();
    const step = await runRateStep(ctx, rate, stepSeconds);
    steps.push(step);
    ctx.log(`A ${rate}/s: sent ${step.sent}, lost ${step.lost}, failed ${step.failed}, timed out ${step.timedOut}, unanswered ${step.unanswered}, p50 ${step.latencyMs.p50} p99 ${step.latencyMs.p99} max ${step.latencyMs.max} ms`);
    if (step.byTransport) {
      const { socket: w, rest: r } = step.byTransport;
      ctx.log(`  socket sends: p50 ${w.latencyMs.p50} p99 ${w.latencyMs.p99} ack p50 ${w.ackMs.p50} p99 ${w.ackMs.p99}; REST sends: p50 ${r.latencyMs.p50} p99 ${r.latencyMs.p99} ack p50 ${r.ackMs.p50} p99 ${r.ackMs.p99} ms`);
    }
    if (step.byKind) {
      const { persistent: p, ephemeral: e } = step.byKind;
      ctx.log(`  persistent groups: p50 ${p.latencyMs.p50} p99 ${p.latencyMs.p99} ack p50 ${p.ackMs.p50} p99 ${p.ackMs.p99}; ephemeral groups: p50 ${e.latencyMs.p50} p99 ${e.latencyMs.p99} ack p50 ${e.ackMs.p50} p99 ${e.ackMs.p99} ms`);
    }
    if (!step.passed) break;
    sustained = rate;
  }
  // Losing an acknowledged message is a defect at any rate; an error ack is one at the first
  // (lowest) rate, above it that is how overload shows. Slowness (late acks the client gave up
  // on, p99) only ends the stepping: timings never fail the run.
  const problems = steps
    .filter((s, i) => s.lost > 0 || s.duplicates > 0 || (i === 0 && s.failed > 0))
    .map((s) => `${s.rate}/s: ${s.lost} lost, ${s.duplicates} duplicates, ${s.failed} sends answered with an error`);
  return { phase: 'A', ok: problems.length === 0, problems, sustainedRate: sustained, steps };
}
