import { performance } from 'node:perf_hooks';
import type { TMessage } from '@chatbox/contracts';

/** Follows some of the received events; true when the event was one of its own. */
export type EventTracker = { received(recipientId: string, message: TMessage): boolean };

/**
 * What a socket holder reports of a receipt (holder-protocol.ts): who sent which message, and
 * when (performance.now() of the driver) it arrived; only DeliveryTrackers follow these.
 */
export type ReceiptTracker = { received(recipientId: string, message: Pick<TMessage, 'clientMsgId' | 'sender'>, at: number): boolean };

/** Hands each received `message` / `message:updated` event to the trackers that are listening (one per running step). */
export class MessageRouter {
  private readonly trackers = new Set<EventTracker>();
  private readonly receiptTrackers = new Set<ReceiptTracker>();
  received = 0;
  private lastAt = performance.now();

  readonly sink = (recipientId: string, message: TMessage): void => {
    this.received++;
    this.lastAt = performance.now();
    for (const t of this.trackers) if (t.received(recipientId, message)) return;
  };

  /**
   * Waits until no `message` event has arrived for quietMs (bounded by maxMs): sends that timed
   * out in an overloaded step are still worked off by the servers, and the next phase should not
   * measure that backlog. Returns how long it waited.
   */
  async quiesce(quietMs = 2000, maxMs = 180_000): Promise<number> {
    const start = performance.now();
    while (performance.now() - this.lastAt < quietMs && performance.now() - start < maxMs) {
      await new Promise((r) => setTimeout(r, 250));
    }
    return Math.round(performance.now() - start);
  }

  /** A receipt on a holder's socket: the receipt trackers only (DeliveryTracker). */
  readonly receipt = (recipientId: string, clientMsgId: string, senderId: string, at: number): void => {
    this.received++;
    this.lastAt = performance.now();
    const message = { clientMsgId, sender: { id: senderId } } as Pick<TMessage, 'clientMsgId' | 'sender'>;
    for (const t of this.receiptTrackers) if (t.received(recipientId, message, at)) return;
  };

  /** Follows holders' receipts too (a DeliveryTracker); undo with the returned function. */
  listenWithReceipts(tracker: EventTracker & ReceiptTracker): () => void {
    const unlisten = this.listen(tracker);
    this.receiptTrackers.add(tracker);
    return () => {
      unlisten();
      this.receiptTrackers.delete(tracker);
    };
  }

  listen(tracker: EventTracker): () => void {
    this.trackers.add(tracker);
    return () => this.trackers.delete(tracker);
  }
}
