import type { TChange, TMessage, TMessageChange } from '@chatbox/contracts';

/** A committed message and the conversation's membersVersion its send read (its recipients). */
export type StoredMessage = { message: TMessage; membersVersion: number };

/** A committed change of a conversation's stream (its message as left by it) and its recipients. */
export type StoredChange = TChange & { membersVersion: number };
/** A stored change that is a message's (new, or changed). */
export type StoredMessageChange = TMessageChange & { membersVersion: number };

/**
 * How the domain asks for committed changes to be fanned out. libs/server/jobs implements it
 * with BullMQ; the outbox row written with each change covers a crash before this runs.
 */
export interface FanoutScheduler {
  /**
   * Enqueues the fan-out of committed changes (idempotent: one job per conversation, named by
   * its newest eventSeq), then clears their outbox rows.
   */
  schedule(changes: readonly StoredChange[]): Promise<void>;
}

export const FANOUT_SCHEDULER = Symbol('FANOUT_SCHEDULER');
