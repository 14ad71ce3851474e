import { performance } from 'node:perf_hooks';
import type { PhaseResult } from '../driver-protocol';
import type { PhaseContext } from '../phase-context';
import { runRateStep } from './group-traffic.phase';

/**
 * Phase A-cold: the bench stops the api and starts a fresh one (as a deploy or a crash does);
 * as soon as it answers its health check, every user reconnects its socket (the recipients) and
 * its page's connections, and the senders send over REST at the configured rate: the first burst
 * a freshly started api meets. Phase A's ladder starts low and warms the api on the way, which
 * hides this.
 */
export async function coldStartPhase(ctx: PhaseContext): Promise<PhaseResult> {
  const { rate, seconds } = ctx.config.phaseACold;
  const users = ctx.pop.connected();
  const restartStart = performance.now();
  await ctx.restartApi(0);
  const restartMs = Math.round(performance.now() - restartStart);
  ctx.pop.disconnect(users);
  const reconnectStart = performance.now();
  await ctx.pop.connect(users);
  await ctx.pop.openPageConnections(users);
  const reconnectMs = Math.round(performance.now() - reconnectStart);
  const step = await runRateStep(ctx, rate, seconds, 'Acold', 1);
  ctx.log(`A-cold ${rate}/s over REST: sent ${step.sent}, lost ${step.lost}, failed ${step.failed}, p50 ${step.latencyMs.p50} p99 ${step.latencyMs.p99} max ${step.latencyMs.max} ms, ack p99 ${step.ackMs.p99} ms (restart ${restartMs} ms, reconnect ${reconnectMs} ms)`);
  const problems = step.lost > 0 || step.duplicates > 0 ? [`${step.lost} lost, ${step.duplicates} duplicates`] : [];
  return { phase: 'A-cold', ok: problems.length === 0, problems, restartMs, reconnectMs, step };
}
