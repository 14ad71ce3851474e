import { performance } from 'node:perf_hooks';
import { DeliveryTracker, DeliverySummary } from '../delivery-tracker';
import { messageBody } from '../bench-user';
import { nextClientMsgId, PhaseContext } from '../phase-context';
import type { DriverConfig, PhaseResult } from '../driver-protocol';

export type RateStep = DeliverySummary & { rate: number; seconds: number; achievedRate: number; lateAfterSettle: number; passed: boolean };

/**
 * Open-loop group traffic at a fixed total rate: senders take turns (every user sends to its own
 * group), the schedule never waits for answers. Returns the step's deliveries and latencies.
 */
export async function runRateStep(ctx: PhaseContext, rate: number, seconds: number, tag = 'A'): Promise<RateStep> {
  const senders = ctx.pop.connected().filter((u) => u.groupId);
  const tracker = new DeliveryTracker();
  const unlisten = ctx.router.listen(tracker);
  const body = messageBody(ctx.config.bodyBytes, tag);
  const total = Math.round(rate * seconds);
  let issued = 0;
  let turn = 0;
  ctx.mark(`${tag}@${rate}`, 'start');
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000));
      while (issued < due) {
        const sender = senders[turn++ % senders.length];
        const id = nextClientMsgId(`${tag}${rate}`);
        tracker.expect(id, sender.id, ctx.pop.groupPeers(sender).map((u) => u.id));
        issued++;
        sender.send(sender.groupId, id, body).then(
          (m) => tracker.acked(id, m),
          (err: Error) => tracker.failed(id, err.message),
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
  return { rate, seconds, achievedRate: Math.round(issued / sendSeconds), ...s, lateAfterSettle: lostAtSettle - s.lost, passed };
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
