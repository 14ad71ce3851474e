import type { PhaseResult } from '../driver/driver-protocol';

/** CPU seconds per process name (a mark's window) -> CPU seconds per process kind: api, worker, driver (its socket holders included). */
export function cpuByKind(cpu: Record<string, number>): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const [name, seconds] of Object.entries(cpu)) {
    const kind = name.startsWith('driver') ? 'driver' : name.replace(/-\d+$/, '');
    kinds[kind] = round3((kinds[kind] ?? 0) + seconds);
  }
  return kinds;
}

/**
 * What a unit of work cost: CPU seconds per 1,000 units (messages, deliveries) per process kind,
 * summed over the processes of that kind (two apis: both). From the /proc counters the sampler
 * reads, so it holds whatever else the processes did in the window (heartbeats, GC).
 */
export function cpuPerThousand(cpu: Record<string, number>, units: number): Record<string, number> | null {
  if (!units) return null;
  return Object.fromEntries(Object.entries(cpuByKind(cpu)).map(([kind, s]) => [kind, round3((s / units) * 1000)]));
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

type FanoutRun = { connectedUsers: number; sent: number; failed: number; timedOut: number; unanswered: number; delivered: number };

/** Phase B's runs (marked `B@<users>`) and phase R (marked `R`) with their CPU and cost per message and per delivery. */
export function withFanoutCost(result: PhaseResult, marks: Record<string, Record<string, number>>): PhaseResult {
  if (result.phase === 'R' && marks.R) return { ...result, cpuSecondsByKind: cpuByKind(marks.R), cpuSeconds: marks.R };
  // E's actions and their settling, without the warm-up and the catch-up after them
  if (result.phase === 'E' && marks.E) return { ...result, cpuSecondsByKind: cpuByKind(marks.E) };
  if (result.phase !== 'B' || !Array.isArray(result.runs)) return result;
  const runs = (result.runs as FanoutRun[]).map((run) => {
    const cpu = marks[`B@${run.connectedUsers}`];
    if (!cpu) return run;
    const messages = run.sent + run.failed + run.timedOut + run.unanswered;
    return { ...run, cpuSeconds: cpu, cpuSecondsPer1000Messages: cpuPerThousand(cpu, messages), cpuSecondsPer1000Deliveries: cpuPerThousand(cpu, run.delivered) };
  });
  return { ...result, runs };
}
