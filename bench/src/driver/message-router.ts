import { performance } from 'node:perf_hooks';
import type { TMessage } from '@chatbox/contracts';

/** Follows some of the received events; true when the event was one of its own. */
export type EventTracker = { received(recipientId: string, message: TMessage): boolean };

/** Hands each received `message` / `message:updated` event to the trackers that are listening (one per running step). */
export class MessageRouter {
  private readonly trackers = new Set<EventTracker>();
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

  listen(tracker: EventTracker): () => void {
    this.trackers.add(tracker);
    return () => this.trackers.delete(tracker);
  }
}
