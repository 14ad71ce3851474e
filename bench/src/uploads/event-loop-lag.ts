import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

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

/**
 * The api's event-loop delay since the previous call, from its operations port's metrics
 * (prom-client's monitorEventLoopDelay, 10 ms resolution, reset by every scrape).
 */
export class EventLoopLagReader {
  private constructor(private readonly url: string) {}

  /** undefined when the api has no operations port to read. */
  static forApi(pid: number, apiPort: number): EventLoopLagReader | undefined {
    const ops = listeningPorts(pid).find((p) => p !== apiPort);
    return ops === undefined ? undefined : new EventLoopLagReader(`http://127.0.0.1:${ops}/metrics`);
  }

  async read(): Promise<EventLoopLag | undefined> {
    try {
      const text = await (await fetch(this.url)).text();
      const metric = (name: string) => {
        const m = new RegExp(`^chatbox_process_nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(text);
        return m ? Math.round(Number(m[1]) * 10_000) / 10 : NaN;
      };
      return { p50Ms: metric('p50'), p99Ms: metric('p99'), maxMs: metric('max') };
    } catch {
      return undefined;
    }
  }
}
