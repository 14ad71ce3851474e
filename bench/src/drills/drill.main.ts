import { parseArgs } from 'node:util';
import { ensureServices } from '@chatbox/tools';
import { machineInfo, writeResults } from '../results/results-file';
import { DRILLS, DrillResult, stopOwnedServices } from './drills';
import type { DrillOptions } from './drill-script';
import { stopStacksOnInterrupt } from '../stack/bench-stack';

/**
 * `npm run drill [-- name ...] [--rate N] [--users N] [--latency MS] [--jitter MS] [--no-cuts] [--stall MS]`: the fault drills (worker-kill, api-kill, redis-restart,
 * postgres-restart, postgres-failover, flaky-network), each against its own production-mode stack; one JSON verdict line each,
 * all written to bench/results/drill-<timestamp>.json. Exits 1 when any verdict fails.
 */
async function main(): Promise<number> {
  const { values, positionals: names } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      rate: { type: 'string' },
      users: { type: 'string' },
      // flaky-network's faults, one at a time (DrillOptions)
      latency: { type: 'string' },
      jitter: { type: 'string' },
      'no-cuts': { type: 'boolean' },
      stall: { type: 'string' },
    },
  });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const opts: DrillOptions = {
    rate: num(values.rate),
    users: num(values.users),
    latencyMs: num(values.latency),
    jitterMs: num(values.jitter),
    cuts: values['no-cuts'] ? false : undefined,
    stallMs: num(values.stall),
  };
  const unknown = names.filter((n) => !DRILLS.some((d) => d.name === n));
  if (unknown.length) throw new Error(`unknown drill(s) ${unknown.join(', ')}; known: ${DRILLS.map((d) => d.name).join(', ')}`);
  const chosen = names.length ? DRILLS.filter((d) => names.includes(d.name)) : DRILLS;
  const startedAt = new Date();
  stopStacksOnInterrupt(stopOwnedServices);
  const services = await ensureServices();
  const results: DrillResult[] = [];
  for (const drill of chosen) {
    let result: DrillResult;
    try {
      result = await drill.run({ postgresServerUrl: services.postgresServerUrl, redisUrl: services.redisUrl }, opts);
    } catch (err) {
      result = { drill: drill.name, ok: false, problems: [`aborted: ${err instanceof Error ? err.message : String(err)}`], timeline: {}, facts: {} };
    }
    results.push(result);
    console.log(JSON.stringify(result));
  }
  const ok = results.every((r) => r.ok);
  const file = writeResults('drill', startedAt, { startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), ok, machine: machineInfo(), drills: results });
  console.log(`[drill] ${results.map((r) => `${r.drill}: ${r.ok ? 'PASS' : 'FAIL'}`).join(', ')}; results in ${file}`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
