import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchUser } from './bench-user';
import { addSeen, emptyHolderReport, type DriverToHolder, type HolderReport, type HolderToDriver } from './holder-protocol';
import type { MessageRouter } from './message-router';
import { loaderHookArgs } from '../lib/loader-hook';

type Holder = { child: ChildProcess; users: BenchUser[]; reports: Map<number, (r: HolderReport) => void> };

/**
 * Child processes of the driver that hold a share of the users' sockets each (socket-holder.main.ts)
 * and report every receipt to the driver's MessageRouter with the time it happened: the driver
 * keeps its single-process path for the normal phases, and 10,000 sockets are parsed by several
 * processes. Users go to the holders round-robin.
 */
export class SocketHolders {
  private readonly holders: Holder[];
  private nextRequest = 0;
  closed = false;

  constructor(count: number, private readonly router: MessageRouter) {
    this.holders = Array.from({ length: count }, (_, k) => this.start(k));
  }

  private start(k: number): Holder {
    const child = fork(path.join(__dirname, 'socket-holder.main.js'), [], { execArgv: loaderHookArgs, env: { ...process.env }, serialization: 'advanced' });
    const holder: Holder = { child, users: [], reports: new Map() };
    // performance.now() of this process for an epoch time taken in the holder
    const toHere = (epochMs: number) => epochMs - performance.timeOrigin;
    child.on('message', (m: HolderToDriver) => {
      if (m.type === 'receipts') {
        for (const r of m.batch) for (let i = 0; i < r.slots.length; i++) this.router.receipt(holder.users[r.slots[i]].id, r.clientMsgId, r.senderId, toHere(r.at[i]));
      } else if (m.type === 'report') {
        holder.reports.get(m.requestId)?.(m.report);
        holder.reports.delete(m.requestId);
      }
    });
    child.on('exit', (code) => {
      if (code) console.error(`[driver] socket holder ${k} exited with ${code}`);
    });
    return holder;
  }

  /** Connects the users' sockets in the holders (reconnection on: clients come back after a restart). */
  async connect(users: readonly BenchUser[]): Promise<{ ms: number; failed: number; errors: string[] }> {
    const t0 = performance.now();
    const shares = this.holders.map(() => [] as BenchUser[]);
    users.forEach((u, i) => shares[i % shares.length].push(u));
    const answers = await Promise.all(
      this.holders.map((h, k) => {
        const first = h.users.length;
        h.users.push(...shares[k]);
        const held = shares[k].map((u, j) => ({ slot: first + j, id: u.id, token: u.token, apiUrl: u.apiUrl }));
        return new Promise<{ failed: number; errors: string[] }>((resolve) => {
          const onMessage = (m: HolderToDriver) => {
            if (m.type !== 'connected') return;
            h.child.off('message', onMessage);
            resolve(m);
          };
          h.child.on('message', onMessage);
          this.tell(h, { type: 'connect', users: held, reconnection: true });
        });
      }),
    );
    return { ms: Math.round(performance.now() - t0), failed: answers.reduce((n, a) => n + a.failed, 0), errors: answers.flatMap((a) => a.errors).slice(0, 5) };
  }

  get users(): BenchUser[] {
    return this.holders.flatMap((h) => h.users);
  }

  /** Every holder's counters since its previous report, summed. */
  async report(): Promise<HolderReport> {
    const reports = await Promise.all(
      this.holders.map(
        (h) =>
          new Promise<HolderReport>((resolve) => {
            const requestId = ++this.nextRequest;
            h.reports.set(requestId, resolve);
            this.tell(h, { type: 'report', requestId });
          }),
      ),
    );
    const sum = emptyHolderReport();
    for (const r of reports) {
      sum.connected += r.connected;
      addSeen(sum, r);
    }
    return sum;
  }

  get pids(): number[] {
    return this.holders.flatMap((h) => (h.child.pid ? [h.child.pid] : []));
  }

  close(): void {
    this.closed = true;
    for (const h of this.holders) {
      this.tell(h, { type: 'close' });
      h.users = [];
    }
  }

  private tell(h: Holder, m: DriverToHolder): void {
    if (h.child.connected) h.child.send(m);
  }
}
