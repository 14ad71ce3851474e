import type { TMessage } from '@chatbox/contracts';

/** A committed message and the conversation's membersVersion its send read (its recipients). */
export type StoredMessage = { message: TMessage; membersVersion: number };

/**
 * How the domain asks for committed messages to be fanned out. libs/server/jobs implements it
 * with BullMQ; the outbox row written with each message covers a crash before this runs.
 */
export interface FanoutScheduler {
  /**
   * Enqueues the fan-out of committed messages (idempotent: one job per conversation, named by
   * its newest seq), then clears their outbox rows.
   */
  schedule(messages: readonly StoredMessage[]): Promise<void>;
}

export const FANOUT_SCHEDULER = Symbol('FANOUT_SCHEDULER');
