import { performance } from 'node:perf_hooks';
import type { TMessage } from '@chatbox/contracts';
import { LatencySummary, summarize } from '../lib/stats';

type Sent = {
  sentAt: number;
  senderId: string;
  /** Recipient user ids still expected; removed on first receipt. */
  pending: Set<string>;
  expected: number;
  acked: boolean;
  failed: boolean;
  timedOut: boolean;
  message?: TMessage;
};

export type DeliverySummary = {
  /** Sends acknowledged with the stored message. */
  sent: number;
  /** Sends answered with an error ack. */
  failed: number;
  /** Sends whose ack did not come within the client's timeout (15 s): the client gave up waiting. */
  timedOut: number;
  /** Sends still without an answer when the step settled. */
  unanswered: number;
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  latencyMs: LatencySummary;
  ackMs: LatencySummary;
};

/**
 * Follows a batch of sent messages by clientMsgId: acks, and each recipient's first receipt
 * (latency from the send call). A second receipt by the same recipient is a duplicate.
 */
export class DeliveryTracker {
  private readonly sent = new Map<string, Sent>();
  private readonly latencies: number[] = [];
  private readonly ackLatencies: number[] = [];
  private delivered = 0;
  private duplicates = 0;
  private seenBy = new Map<string, Set<string>>();
  private waiters: Array<() => void> = [];
  failures: string[] = [];

  /** Call right before the send; recipients exclude the sender (its own echo is not a delivery). */
  expect(clientMsgId: string, senderId: string, recipientIds: readonly string[]): void {
    this.sent.set(clientMsgId, {
      sentAt: performance.now(),
      senderId,
      pending: new Set(recipientIds),
      expected: recipientIds.length,
      acked: false,
      failed: false,
      timedOut: false,
    });
  }

  acked(clientMsgId: string, message: TMessage): void {
    const s = this.sent.get(clientMsgId);
    if (!s) return;
    s.acked = true;
    s.message = message;
    this.ackLatencies.push(performance.now() - s.sentAt);
    this.wake();
  }

  failed(clientMsgId: string, why: string): void {
    const s = this.sent.get(clientMsgId);
    if (!s) return;
    s.failed = true;
    s.timedOut = why === 'ack timeout';
    if (this.failures.length < 10) this.failures.push(why);
    this.wake();
  }

  /**
   * A `message` event reached recipientId (at `at`, performance.now() of this process: a socket
   * holder's receipt comes later than it happened); true when it belongs to this tracker.
   */
  received(recipientId: string, message: Pick<TMessage, 'clientMsgId' | 'sender'>, at = performance.now()): boolean {
    const s = this.sent.get(message.clientMsgId);
    if (!s || message.sender.id !== s.senderId) return false;
    if (recipientId === s.senderId) return true;
    if (s.pending.delete(recipientId)) {
      this.delivered++;
      this.latencies.push(at - s.sentAt);
      let seen = this.seenBy.get(message.clientMsgId);
      if (!seen) this.seenBy.set(message.clientMsgId, (seen = new Set()));
      seen.add(recipientId);
      if (s.pending.size === 0) this.wake();
    } else if (this.seenBy.get(message.clientMsgId)?.has(recipientId)) {
      this.duplicates++;
    }
    return true;
  }

  /** Acked messages in the order of their seq within each conversation. */
  ackedMessages(): TMessage[] {
    return [...this.sent.values()].filter((s) => s.acked && s.message).map((s) => s.message!);
  }

  private outstanding(): boolean {
    for (const s of this.sent.values()) {
      if (s.failed) continue;
      if (!s.acked || s.pending.size > 0) return true;
    }
    return false;
  }

  /** Resolves when every send is answered and every acked message reached all its recipients, or after maxMs. */
  async settle(maxMs: number): Promise<void> {
    const deadline = performance.now() + maxMs;
    while (this.outstanding() && performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(100, Math.max(1, deadline - performance.now())));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  summary(): DeliverySummary {
    let sent = 0;
    let failed = 0;
    let timedOut = 0;
    let unanswered = 0;
    let expected = 0;
    let lost = 0;
    for (const s of this.sent.values()) {
      if (s.timedOut) timedOut++;
      else if (s.failed) failed++;
      else if (!s.acked) unanswered++;
      if (s.failed || !s.acked) continue;
      sent++;
      expected += s.expected;
      lost += s.pending.size;
    }
    return {
      sent,
      failed,
      timedOut,
      unanswered,
      expected,
      delivered: this.delivered,
      lost,
      duplicates: this.duplicates,
      latencyMs: summarize(this.latencies),
      ackMs: summarize(this.ackLatencies),
    };
  }
}
