import { performance } from 'node:perf_hooks';
import type { TMessage } from '@chatbox/contracts';
import { BenchUser, inBatches, messageBody } from '../driver/bench-user';
import type { Population } from '../driver/population';
import { nextClientMsgId } from '../driver/phase-context';

export type Attempt = {
  clientMsgId: string;
  senderId: string;
  conversationId: string;
  outcome: 'pending' | 'acked' | 'failed';
  /** The first failure's error code (or "ack timeout"), and its text (which answer it was). */
  error?: string;
  errorText?: string;
  message?: TMessage;
  /** Set when a REST retry got it acknowledged: it had been stored already (200) or only now (201). */
  retried?: 'was-stored' | 'stored-now';
  /** ms from traffic start: when it was sent, and when its first answer (ack or failure) came. */
  sentAt: number;
  answeredAt?: number;
};

/**
 * Open-loop group traffic for the drills: at a fixed total rate, connected users take turns
 * sending to their group; every attempt and its outcome is kept for the verdict.
 */
export class DrillTraffic {
  readonly attempts: Attempt[] = [];
  skipped = 0;
  private timer?: NodeJS.Timeout;
  private t0 = 0;
  private readonly body: string;

  constructor(
    private readonly senders: () => BenchUser[],
    bodyBytes = 100,
  ) {
    this.body = messageBody(bodyBytes, 'drill');
  }

  start(rate: number): void {
    const t0 = (this.t0 = performance.now());
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

  /** ms since the traffic started (the attempts' clock). */
  elapsedMs(): number {
    return Math.round(performance.now() - this.t0);
  }

  private send(user: BenchUser): void {
    const now = () => this.elapsedMs();
    const a: Attempt = { clientMsgId: nextClientMsgId('drill'), senderId: user.id, conversationId: user.groupId, outcome: 'pending', sentAt: now() };
    this.attempts.push(a);
    user.send(a.conversationId, a.clientMsgId, this.body, { timeoutMs: 10_000 }).then(
      (m) => {
        a.outcome = 'acked';
        a.message = m;
        a.answeredAt = now();
      },
      (err: Error) => {
        if (a.outcome === 'acked') return;
        a.outcome = 'failed';
        a.error = err.message.split(':')[0];
        a.errorText = err.message.slice(a.error.length + 1, a.error.length + 80).trim();
        a.answeredAt = now();
      },
    );
  }

  /** Waits (bounded) until no attempt is still waiting for its acknowledgement. */
  async drain(maxMs = 15_000): Promise<void> {
    const deadline = performance.now() + maxMs;
    while (this.attempts.some((a) => a.outcome === 'pending') && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  }

  /**
   * What a client does with a send that got no acknowledgement or a 503: sends it again with
   * the same clientMsgId, over REST, until it is stored (bounded). Idempotency makes this safe.
   * Only a sample of at most `limit`, spread over the run: under overload thousands of sends time
   * out, and the verdict does not need them acknowledged (what is stored must be delivered anyway).
   */
  async retryUnacknowledged(pop: Population, limit = 200, maxRounds = 5): Promise<{ unacknowledged: number; retried: number; stillFailing: number; replayed: number }> {
    const unacked = this.attempts.filter((a) => a.outcome !== 'acked');
    const step = Math.max(1, Math.ceil(unacked.length / limit));
    const todo = unacked.filter((_, i) => i % step === 0);
    const byId = new Map(pop.users.map((u) => [u.id, u]));
    let replayed = 0;
    for (let round = 0; round < maxRounds; round++) {
      const left = todo.filter((a) => a.outcome !== 'acked');
      if (left.length === 0) break;
      if (round > 0) await new Promise((r) => setTimeout(r, 2000));
      await inBatches(left, 16, async (a) => {
        const user = byId.get(a.senderId)!;
        const res = await pop.client(user).post(`/conversations/${a.conversationId}/messages`, { clientMsgId: a.clientMsgId, body: this.body }, user.token).catch(() => undefined);
        if (res && (res.status === 200 || res.status === 201)) {
          a.outcome = 'acked';
          a.message = res.body;
          a.retried = res.status === 200 ? 'was-stored' : 'stored-now';
          if (res.status === 200) replayed++;
        }
      });
    }
    return { unacknowledged: unacked.length, retried: todo.length, stillFailing: todo.filter((a) => a.outcome !== 'acked').length, replayed };
  }

  /**
   * How writes fared from `faultAt` (ms from traffic start): the sends that got no
   * acknowledgement (when the first and last of them were sent), and how long after the fault
   * the first send made after it was acknowledged (the outage as clients saw it).
   */
  failureWindow(faultAt: number): { unacknowledged: number; firstSentAt?: number; lastSentAt?: number; firstAckAfterFaultMs?: number } {
    const failed = this.attempts.filter((a) => a.outcome !== 'acked' || a.retried);
    const answers = this.attempts.filter((a) => a.sentAt >= faultAt && a.outcome === 'acked' && !a.retried).map((a) => a.answeredAt!);
    const firstAck = answers.length ? Math.min(...answers) : undefined;
    return {
      unacknowledged: failed.length,
      firstSentAt: failed[0]?.sentAt,
      lastSentAt: failed.at(-1)?.sentAt,
      firstAckAfterFaultMs: firstAck === undefined ? undefined : firstAck - faultAt,
    };
  }

  /** How long sends waited for their first answer, ms: an ack, an error, or the client giving up (its 10 s timeout, or at once when its socket drops). */
  answerMs(): { p50: number; p99: number; max: number } | undefined {
    const waits = this.attempts.filter((a) => a.answeredAt !== undefined).map((a) => a.answeredAt! - a.sentAt);
    if (waits.length === 0) return undefined;
    waits.sort((x, y) => x - y);
    const at = (q: number) => waits[Math.min(waits.length - 1, Math.floor(q * waits.length))];
    return { p50: at(0.5), p99: at(0.99), max: waits[waits.length - 1] };
  }

  counts() {
    const errors: Record<string, number> = {};
    const errorTexts: Record<string, number> = {};
    for (const a of this.attempts) if (a.error) errors[a.error] = (errors[a.error] ?? 0) + 1;
    for (const a of this.attempts) if (a.errorText) errorTexts[a.errorText] = (errorTexts[a.errorText] ?? 0) + 1;
    return {
      answerMs: this.answerMs(),
      errorTexts,
      attempted: this.attempts.length,
      acked: this.attempts.filter((a) => a.outcome === 'acked' && !a.retried).length,
      failed: this.attempts.filter((a) => a.outcome === 'failed').length,
      ackedOnRetry: this.attempts.filter((a) => a.retried).length,
      retryFoundStored: this.attempts.filter((a) => a.retried === 'was-stored').length,
      pending: this.attempts.filter((a) => a.outcome === 'pending').length,
      skippedNoSender: this.skipped,
      errors,
    };
  }
}
