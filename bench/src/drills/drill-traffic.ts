import { performance } from 'node:perf_hooks';
import type { TMessage } from '@chatbox/contracts';
import { BenchUser, messageBody } from '../driver/bench-user';
import { nextClientMsgId } from '../driver/phase-context';

export type Attempt = { clientMsgId: string; senderId: string; conversationId: string; outcome: 'pending' | 'acked' | 'failed'; error?: string; message?: TMessage };

/**
 * Open-loop group traffic for the drills: at a fixed total rate, connected users take turns
 * sending to their group; every attempt and its outcome is kept for the verdict.
 */
export class DrillTraffic {
  readonly attempts: Attempt[] = [];
  skipped = 0;
  private timer?: NodeJS.Timeout;
  private readonly body: string;

  constructor(
    private readonly senders: () => BenchUser[],
    bodyBytes = 100,
  ) {
    this.body = messageBody(bodyBytes, 'drill');
  }

  start(rate: number): void {
    const t0 = performance.now();
    let issued = 0;
    let turn = 0;
    const tick = () => {
      const due = Math.floor(((performance.now() - t0) * rate) / 1000);
      const online = this.senders().filter((u) => u.socket?.connected);
      while (issued < due) {
        issued++;
        if (online.length === 0) {
          this.skipped++;
          continue;
        }
        this.send(online[turn++ % online.length]);
      }
      this.timer = setTimeout(tick, 5);
    };
    tick();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private send(user: BenchUser): void {
    const a: Attempt = { clientMsgId: nextClientMsgId('drill'), senderId: user.id, conversationId: user.groupId, outcome: 'pending' };
    this.attempts.push(a);
    user.send(a.conversationId, a.clientMsgId, this.body, 10_000).then(
      (m) => {
        a.outcome = 'acked';
        a.message = m;
      },
      (err: Error) => {
        a.outcome = 'failed';
        a.error = err.message.split(':')[0];
      },
    );
  }

  /** Waits (bounded) until no attempt is still waiting for its acknowledgement. */
  async drain(maxMs = 15_000): Promise<void> {
    const deadline = performance.now() + maxMs;
    while (this.attempts.some((a) => a.outcome === 'pending') && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  }

  counts() {
    const errors: Record<string, number> = {};
    for (const a of this.attempts) if (a.outcome === 'failed') errors[a.error ?? '?'] = (errors[a.error ?? '?'] ?? 0) + 1;
    return {
      attempted: this.attempts.length,
      acked: this.attempts.filter((a) => a.outcome === 'acked').length,
      failed: this.attempts.filter((a) => a.outcome === 'failed').length,
      pending: this.attempts.filter((a) => a.outcome === 'pending').length,
      skippedNoSender: this.skipped,
      errors,
    };
  }
}
