import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** Clock ticks per second of /proc/<pid>/stat times: 100 on Linux (getconf CLK_TCK). */
const TICKS_PER_SECOND = 100;

export type ProcessUsage = { name: string; pid: number; peakRssMb: number; cpuSeconds: number };

/**
 * The whole machine over a window: busy share of all cores, CPU seconds spent by everything
 * (PostgreSQL, Redis, other users of the machine included) and the 1-minute load average. The
 * bench shares its cores, so figures taken while others were busy say so here.
 */
export type MachineUsage = { busyPct: number; cpuSecondsAll: number; loadAvg1: number };

function readMachineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - v[3] - (v[4] ?? 0), total };
}

type Tracked = { name: string; pid: number; lastTicks: number; windowStartTicks: number; windowPeakKb: number; totalPeakKb: number; totalTicks: number };

/** CPU ticks (user + system) and resident set size of a process, from /proc; undefined once it is gone. */
export function readProcess(pid: number): { ticks: number; rssKb: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return { ticks, rssKb: rss ? Number(rss[1]) : 0 };
  } catch {
    return undefined;
  }
}

/**
 * Samples the server processes' RSS and CPU time a few times a second. A window (one phase)
 * reports each process's peak RSS and CPU seconds since the window opened.
 */
export class ProcessSampler {
  private readonly tracked: Tracked[] = [];
  private timer?: NodeJS.Timeout;
  private machineStart = readMachineTicks();

  constructor(private readonly intervalMs = 250) {}

  track(name: string, pid: number | undefined): void {
    if (pid === undefined) return;
    const now = readProcess(pid);
    const ticks = now?.ticks ?? 0;
    this.tracked.push({ name, pid, lastTicks: ticks, windowStartTicks: ticks, windowPeakKb: now?.rssKb ?? 0, totalPeakKb: now?.rssKb ?? 0, totalTicks: 0 });
  }

  start(): void {
    this.timer ??= setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private sample(): void {
    for (const t of this.tracked) {
      const now = readProcess(t.pid);
      if (!now) continue;
      t.totalTicks += Math.max(0, now.ticks - t.lastTicks);
      t.lastTicks = now.ticks;
      t.windowPeakKb = Math.max(t.windowPeakKb, now.rssKb);
      t.totalPeakKb = Math.max(t.totalPeakKb, now.rssKb);
    }
  }

  /** Machine-wide usage since the previous call; a new window opens. */
  closeMachineWindow(): MachineUsage {
    const now = readMachineTicks();
    const busy = now.busy - this.machineStart.busy;
    const total = now.total - this.machineStart.total;
    this.machineStart = now;
    return { busyPct: total > 0 ? Math.round((busy / total) * 1000) / 10 : 0, cpuSecondsAll: secs(busy), loadAvg1: Math.round(loadavg()[0] * 100) / 100 };
  }

  /** Usage since the previous call (or since tracking began), then a new window opens. */
  closeWindow(): ProcessUsage[] {
    this.sample();
    return this.tracked.map((t) => {
      const usage = { name: t.name, pid: t.pid, peakRssMb: mb(t.windowPeakKb), cpuSeconds: secs(t.lastTicks - t.windowStartTicks) };
      t.windowStartTicks = t.lastTicks;
      t.windowPeakKb = readProcess(t.pid)?.rssKb ?? 0;
      return usage;
    });
  }

  /** CPU ticks so far per process name: subtract two of these to measure a stretch of a phase. */
  cpuTicks(): Map<string, number> {
    this.sample();
    return new Map(this.tracked.map((t) => [t.name, t.lastTicks]));
  }

  totals(): ProcessUsage[] {
    this.sample();
    return this.tracked.map((t) => ({ name: t.name, pid: t.pid, peakRssMb: mb(t.totalPeakKb), cpuSeconds: secs(t.totalTicks) }));
  }
}

const mb = (kb: number) => Math.round(kb / 102.4) / 10;
const secs = (ticks: number) => Math.round((ticks / TICKS_PER_SECOND) * 100) / 100;

/** CPU seconds per process between two cpuTicks() readings. */
export function cpuSecondsBetween(from: Map<string, number>, to: Map<string, number>): Record<string, number> {
  // a process started within the stretch (an api restarted in phase R) counts from its start
  return Object.fromEntries([...to].map(([name, ticks]) => [name, secs(ticks - (from.get(name) ?? 0))]));
}
