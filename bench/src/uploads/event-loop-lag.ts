import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { constants, PerformanceObserver } from 'node:perf_hooks';

/**
 * The TCP ports a process listens on, from /proc (Linux): how the bench finds an api's
 * operations port, which it picked itself (OPS_PORT=0) and only logged.
 */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local address (hex ip:port), state 0A = LISTEN, inode in column 10
      if (f[3] === '0A' && inodes.has(f[9]!)) ports.push(parseInt(f[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

export type EventLoopLag = { p50Ms: number; p99Ms: number; maxMs: number };
/** The api's garbage collections by kind (prom-client's gc histogram): how many, and their pauses' total ms. */
export type GcTotals = Record<'major' | 'minor' | 'incremental', { count: number; ms: number }>;

/** `later - earlier`, kind by kind. */
export function gcBetween(earlier: GcTotals, later: GcTotals): GcTotals {
  const delta = (k: keyof GcTotals) => ({ count: later[k].count - earlier[k].count, ms: Math.round((later[k].ms - earlier[k].ms) * 10) / 10 });
  return { major: delta('major'), minor: delta('minor'), incremental: delta('incremental') };
}

/** `; <who> GC major N (ms), incremental N (ms), minor N (ms)` for a log line, or '' without totals. */
export function describeGc(who: string, g: GcTotals | undefined): string {
  return g ? `; ${who} GC major ${g.major.count} (${g.major.ms} ms), incremental ${g.incremental.count} (${g.incremental.ms} ms), minor ${g.minor.count} (${g.minor.ms} ms)` : '';
}

/**
 * The api's event-loop delay since the previous call (prom-client's monitorEventLoopDelay, 10 ms
 * resolution, reset by every scrape) and its garbage collections, from its operations port's metrics.
 */
export class EventLoopLagReader {
  private constructor(private readonly url: string) {}

  /** undefined when the api has no operations port to read. */
  static forApi(pid: number, apiPort: number): EventLoopLagReader | undefined {
    const ops = listeningPorts(pid).find((p) => p !== apiPort);
    return ops === undefined ? undefined : new EventLoopLagReader(`http://127.0.0.1:${ops}/metrics`);
  }

  /**
   * One scrape: the event-loop delay since the previous one, and the collections since the api
   * started (cumulative: compare two readings with gcBetween).
   */
  async read(): Promise<{ lag: EventLoopLag; gc: GcTotals } | undefined> {
    try {
      const text = await (await fetch(this.url)).text();
      const value = (pattern: string) => {
        const m = new RegExp(`^${pattern} (\\S+)$`, 'm').exec(text);
        return m ? Number(m[1]) : NaN;
      };
      const lagMs = (name: string) => Math.round(value(`chatbox_process_nodejs_eventloop_lag_${name}_seconds`) * 10_000) / 10;
      const gcKind = (kind: string) => ({
        count: value(`chatbox_process_nodejs_gc_duration_seconds_count\\{kind="${kind}"\\}`) || 0,
        ms: (value(`chatbox_process_nodejs_gc_duration_seconds_sum\\{kind="${kind}"\\}`) || 0) * 1000,
      });
      return {
        lag: { p50Ms: lagMs('p50'), p99Ms: lagMs('p99'), maxMs: lagMs('max') },
        gc: { major: gcKind('major'), minor: gcKind('minor'), incremental: gcKind('incremental') },
      };
    } catch {
      return undefined;
    }
  }
}

/**
 * This process's garbage collections since start (cumulative, as GcTotals): the driver takes the
 * downloads' bytes into buffers as the api does, and its pauses delay the deliveries it timestamps.
 */
export function ownGcTotals(): () => GcTotals {
  const totals: GcTotals = { major: { count: 0, ms: 0 }, minor: { count: 0, ms: 0 }, incremental: { count: 0, ms: 0 } };
  const kinds: Record<number, keyof GcTotals> = {
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = kinds[(entry as unknown as { detail?: { kind?: number } }).detail?.kind ?? -1];
      if (kind) {
        totals[kind].count++;
        totals[kind].ms += entry.duration;
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => structuredClone(totals);
}
