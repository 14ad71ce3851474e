import { z } from 'zod';
import { ZId } from './common';
import { ZMessage } from './messages';

/** BullMQ queue that fans committed messages out to their recipients' private rooms. */
export const FANOUT_QUEUE = 'fanout';

/**
 * Fan out every message of a conversation up to `seq` that is not delivered yet; a range whose
 * seq is delivered already needs nothing.
 */
export const ZFanoutRange = z.object({
  conversationId: ZId,
  seq: z.number().int().positive(),
  /** The conversation's membersVersion the send read: whom these messages go to. */
  membersVersion: z.number().int().nonnegative().optional(),
  /** The stored messages ending at `seq` (ascending, contiguous) when the producer had them. */
  messages: z.array(ZMessage).optional(),
});
export type TFanoutRange = z.infer<typeof ZFanoutRange>;

/** One job per send batch (or outbox sweep): a range per conversation it stored messages in. */
export const ZFanoutJob = z.object({ ranges: z.array(ZFanoutRange).min(1) });
export type TFanoutJob = z.infer<typeof ZFanoutJob>;

/** Derived from the job's first message: enqueueing the same job twice is harmless. */
export const fanoutJobId = (job: TFanoutJob) => `c-${job.ranges[0].conversationId}-${job.ranges[0].seq}`;
