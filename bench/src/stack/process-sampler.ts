import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times: 100 on Linux (getconf CLK_TCK). */
const TICKS_PER_SECOND = 100;

export type ProcessUsage = { name: string; pid: number; peakRssMb: number; cpuSeconds: number };

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

  totals(): ProcessUsage[] {
    this.sample();
    return this.tracked.map((t) => ({ name: t.name, pid: t.pid, peakRssMb: mb(t.totalPeakKb), cpuSeconds: secs(t.totalTicks) }));
  }
}

const mb = (kb: number) => Math.round(kb / 102.4) / 10;
const secs = (ticks: number) => Math.round((ticks / TICKS_PER_SECOND) * 100) / 100;
