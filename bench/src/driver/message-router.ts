import type { TMessage } from '@chatbox/contracts';
import type { DeliveryTracker } from './delivery-tracker';

/** Hands each received `message` event to the trackers that are listening (one per running step). */
export class MessageRouter {
  private readonly trackers = new Set<DeliveryTracker>();
  received = 0;

  readonly sink = (recipientId: string, message: TMessage): void => {
    this.received++;
    for (const t of this.trackers) if (t.received(recipientId, message)) return;
  };

  listen(tracker: DeliveryTracker): () => void {
    this.trackers.add(tracker);
    return () => this.trackers.delete(tracker);
  }
}
