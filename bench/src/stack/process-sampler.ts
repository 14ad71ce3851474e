import { readdirSync, readFileSync } from 'node:fs';
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

/**
 * Processes counted as one (the PostgreSQL backends of the bench's database, which come and go
 * with the pools): `lastTicks` sums every member's ticks since tracking began; `pid` and the
 * peak RSS are 0 (the backends' RSS counts PostgreSQL's shared buffers once per backend).
 */
type Group = Tracked & { matches: (cmdline: string) => boolean; members: Map<number, number>; verdicts: Map<number, boolean>; firstSeen: Map<number, number> };

/**
 * A process that does not match is asked again for this long after it was first seen: a
 * PostgreSQL backend is forked with the postmaster's command line and names its database after.
 */
const NEW_PROCESS_MS = 2_000;

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
  private readonly groups: Group[] = [];
  private timer?: NodeJS.Timeout;
  private machineStart = readMachineTicks();

  constructor(private readonly intervalMs = 250) {}

  track(name: string, pid: number | undefined): void {
    if (pid === undefined) return;
    const now = readProcess(pid);
    const ticks = now?.ticks ?? 0;
    this.tracked.push({ name, pid, lastTicks: ticks, windowStartTicks: ticks, windowPeakKb: now?.rssKb ?? 0, totalPeakKb: now?.rssKb ?? 0, totalTicks: 0 });
  }

  /**
   * Every process whose command line `matches`, as one: those running now count from now, those
   * started later from their start. A member's ticks after the last sample before it exits are
   * not counted (at most one interval's).
   */
  trackGroup(name: string, matches: (cmdline: string) => boolean): void {
    const group: Group = { name, pid: 0, lastTicks: 0, windowStartTicks: 0, windowPeakKb: 0, totalPeakKb: 0, totalTicks: 0, matches, members: new Map(), verdicts: new Map(), firstSeen: new Map() };
    this.sampleGroup(group, true);
    group.lastTicks = 0;
    this.groups.push(group);
    this.tracked.push(group);
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

  private sampleGroup(group: Group, baseline = false): void {
    let pids: number[];
    try {
      pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
    } catch {
      return;
    }
    const alive = new Set(pids);
    for (const pid of [...group.verdicts.keys()]) {
      if (alive.has(pid)) continue;
      group.verdicts.delete(pid);
      group.members.delete(pid);
      group.firstSeen.delete(pid);
    }
    const now = Date.now();
    for (const pid of pids) {
      let verdict = group.verdicts.get(pid);
      if (verdict === undefined || (!verdict && now - (group.firstSeen.get(pid) ?? 0) < NEW_PROCESS_MS)) {
        try {
          verdict = group.matches(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
        } catch {
          verdict = false;
        }
        group.verdicts.set(pid, verdict);
        if (!group.firstSeen.has(pid)) group.firstSeen.set(pid, now);
      }
      if (!verdict) continue;
      const usage = readProcess(pid);
      if (!usage) continue;
      const before = group.members.get(pid) ?? (baseline ? usage.ticks : 0);
      group.lastTicks += Math.max(0, usage.ticks - before);
      group.members.set(pid, usage.ticks);
    }
    group.totalTicks = group.lastTicks;
  }

  private sample(): void {
    for (const g of this.groups) this.sampleGroup(g);
    for (const t of this.tracked) {
      if (t.pid === 0) continue;
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
      t.windowPeakKb = t.pid === 0 ? 0 : (readProcess(t.pid)?.rssKb ?? 0);
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
