/**
 * How the domain asks for a committed message to be fanned out. libs/server/jobs implements it
 * with BullMQ; the outbox row written with the message covers a crash before this runs.
 */
export interface FanoutScheduler {
  /** Enqueues the fan-out job of a committed message (idempotent), then clears its outbox row. */
  schedule(messageId: string): Promise<void>;
}

export const FANOUT_SCHEDULER = Symbol('FANOUT_SCHEDULER');
