import { z } from 'zod';
import { ZId } from './common';
import { ZMessage } from './messages';
import { ZNotice } from './notices';

/** BullMQ queue that fans committed changes out to their recipients' private rooms. */
export const FANOUT_QUEUE = 'fanout';

/** BullMQ queue of the scheduled attachment cleanup (uploads never sent, bytes of deleted messages). */
export const ATTACHMENT_CLEANUP_QUEUE = 'attachment-cleanup';

/**
 * One change of a conversation's stream: a new message (`message` / `messages` to clients) or a
 * change to one (`message:updated`), with the message as that change left it; or a membership
 * notice (`notice`).
 */
export const CHANGE_KINDS = ['created', 'updated'] as const;
export const ZMessageChange = z.object({ kind: z.enum(CHANGE_KINDS), message: ZMessage });
export const ZNoticeChange = z.object({ kind: z.literal('notice'), notice: ZNotice });
export const ZChange = z.discriminatedUnion('kind', [ZMessageChange, ZNoticeChange]);
export type TChange = z.infer<typeof ZChange>;
export type TMessageChange = z.infer<typeof ZMessageChange>;

/** The stream position of a change. */
export const eventSeqOf = (change: TChange): number => (change.kind === 'notice' ? change.notice.eventSeq : change.message.eventSeq);
export const conversationIdOf = (change: TChange): string => (change.kind === 'notice' ? change.notice.conversationId : change.message.conversationId);

/**
 * Fan out every change of a conversation up to `eventSeq` that is not delivered yet; a range
 * whose eventSeq is delivered already needs nothing.
 */
export const ZFanoutRange = z.object({
  conversationId: ZId,
  eventSeq: z.number().int().positive(),
  /** The conversation's membersVersion the change read: whom these changes go to. */
  membersVersion: z.number().int().nonnegative().optional(),
  /** The changes ending at `eventSeq` (ascending, contiguous) when the producer had them. */
  changes: z.array(ZChange).optional(),
});
export type TFanoutRange = z.infer<typeof ZFanoutRange>;

/** One job per write batch (or outbox sweep): a range per conversation it changed. */
export const ZFanoutJob = z.object({ ranges: z.array(ZFanoutRange).min(1) });
export type TFanoutJob = z.infer<typeof ZFanoutJob>;

/** Derived from the job's first range: enqueueing the same job twice is harmless. */
export const fanoutJobId = (job: TFanoutJob) => `c-${job.ranges[0].conversationId}-e${job.ranges[0].eventSeq}`;
