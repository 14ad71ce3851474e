import { performance } from 'node:perf_hooks';
import { judge } from './drill-verdict';
import { DrillRig, sleep, teardownRig } from './drill-setup';

export type DrillResult = { drill: string; ok: boolean; problems: string[]; timeline: Record<string, number>; facts: Record<string, unknown> };
export type MachineServices = { postgresServerUrl: string; redisUrl: string };
/**
 * rate overrides the drill's own traffic rate (msgs/s), e.g. on a machine too busy for it. The
 * rest are flaky-network's faults, to take them apart: latencyMs / jitterMs per chunk and way
 * (default 2 + 0..8), cuts (default on), stallMs (default off: connections that carry nothing
 * for that long and then go on).
 */
export type DrillOptions = { rate?: number; users?: number; latencyMs?: number; jitterMs?: number; cuts?: boolean; stallMs?: number };
export type Drill = { name: string; run: (services: MachineServices, opts: DrillOptions) => Promise<DrillResult> };

export const USERS = 200;

export type Script = {
  rate: number;
  requireLive: boolean;
  /** Runs 5 s into the traffic; `mark` records an event on the timeline. */
  fault: (mark: (event: string) => void) => Promise<void>;
  /** More problems for the verdict, and facts for the result. */
  extraProblems?: () => string[];
  extraFacts?: () => Record<string, unknown>;
  /** Where the verdict reads what is stored (default: the stack's database, directly). */
  verdictDatabaseUrl?: string;
};

/** Traffic, a fault at 5 s, recovery, more traffic, then the verdict; the timeline is in ms from traffic start. */
export async function scripted(name: string, rig: DrillRig, script: Script): Promise<DrillResult> {
  const t0 = performance.now();
  const timeline: Record<string, number> = {};
  const mark = (event: string) => {
    timeline[event] = Math.round(performance.now() - t0);
    rig.log(event);
  };
  try {
    rig.traffic.start(script.rate);
    await sleep(5000);
    await script.fault(mark);
    await sleep(10_000);
    rig.traffic.stop();
    mark('traffic stopped');
    await rig.traffic.drain();
    const retry = await rig.traffic.retryUnacknowledged(rig.pop);
    mark('unacknowledged sends retried');
    if (retry.stillFailing) rig.log(`${retry.stillFailing} sends still failing after retries`);
    const verdict = await judge({ databaseUrl: script.verdictDatabaseUrl ?? rig.stack.databaseUrl, traffic: rig.traffic, clients: rig.clients, requireLive: script.requireLive });
    const problems = [...verdict.problems, ...(script.extraProblems?.() ?? [])];
    verdict.facts.retries = retry;
    if (retry.stillFailing) problems.push(`${retry.stillFailing} sends still refused after ${retry.retried} retries`);
    return {
      drill: name,
      ok: problems.length === 0,
      problems,
      timeline,
      facts: { rate: script.rate, users: rig.clients.length, ...verdict.facts, ...script.extraFacts?.() },
    };
  } finally {
    await teardownRig(rig);
  }
}

/** Sends may fail only with 503 `unavailable` (retryable); anything else is named. */
export function onlyUnavailable(rig: DrillRig): string[] {
  const errors = rig.traffic.counts().errors;
  const wrong = Object.keys(errors).filter((code) => code !== 'unavailable');
  return wrong.length ? [`sends failed with ${wrong.map((c) => `${c} x${errors[c]}`).join(', ')} (only 503 unavailable is expected)`] : [];
}

/**
 * Sends made once the fault is over (from `calmFrom`, ms from traffic start) must all be
 * acknowledged: a server that recovered answers them; one stuck on dead connections does not.
 */
export function stuckAfter(rig: DrillRig, calmFrom: number, what: string): string[] {
  const late = rig.traffic.attempts.filter((a) => a.sentAt >= calmFrom);
  const unanswered = late.filter((a) => a.outcome !== 'acked' || a.retried);
  return unanswered.length ? [`${unanswered.length} of ${late.length} sends made ${what} were not acknowledged: ChatBox did not recover`] : [];
}

/** The given server processes are the ones started at the beginning, all still running. */
export function notRestarted(procs: { name: string; child: { exitCode: number | null; signalCode: string | null } }[]): string[] {
  return procs.filter((p) => p.child.exitCode !== null || p.child.signalCode !== null).map((p) => `${p.name} exited during the drill`);
}
