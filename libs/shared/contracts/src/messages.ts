import { z } from 'zod';
import { LIMITS } from './limits';
import { ZId, ZLimit, ZSeq, ZSeqParam, zPage, zText } from './common';
import { ZUserRef } from './users';

/**
 * A committed message. Delivery over the socket is at-least-once and ordered per conversation
 * in normal operation, but a fan-out job that is retried after a crash may deliver a message a
 * second time: clients must drop duplicates by `id` and order by `seq`; a gap in `seq` (got
 * n+2 after n) means "fetch the missing range with GET .../messages?after=n".
 */
export const ZMessage = z.object({
  id: z.string(),
  conversationId: z.string(),
  seq: z.number().int(),
  sender: ZUserRef,
  body: z.string(),
  clientMsgId: z.string(),
  createdAt: z.string(),
});
export type TMessage = z.infer<typeof ZMessage>;

export const ZClientMsgId = zText()
  .min(1, 'is required')
  .max(LIMITS.clientMsgIdMax, `must be at most ${LIMITS.clientMsgIdMax} characters`);

/**
 * What is stored of a typed body: blank lines at the start and whitespace at the end go; the
 * first line's indentation stays (pasted code keeps its shape). Clients use it too, so what
 * they count and show is what the server stores.
 */
export const trimMessageBody = (s: string): string => s.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();

/** Message bodies are trimmed (trimMessageBody); 1-4000 characters remain. Stored and shown as plain text. */
export const ZMessageBodyText = zText()
  .transform(trimMessageBody)
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(LIMITS.bodyMax, `must be at most ${LIMITS.bodyMax} characters`),
  );

export const ZSendMessageBody = z.object({ clientMsgId: ZClientMsgId, body: ZMessageBodyText });
export type TSendMessageBody = z.infer<typeof ZSendMessageBody>;

export const ZHistoryQuery = z
  .object({ before: ZSeqParam.optional(), after: ZSeqParam.optional(), limit: ZLimit })
  .refine((q) => q.before === undefined || q.after === undefined, {
    message: 'use either before or after, not both',
    path: ['before'],
  });
export type THistoryQuery = z.infer<typeof ZHistoryQuery>;

/**
 * A page of history, ascending by seq. Paging is by seq, not by cursor: older messages are
 * `before=items[0].seq`, newer ones `after=items[items.length-1].seq`; nextCursor is always null.
 */
export const ZMessagePage = zPage(ZMessage);
export type TMessagePage = z.infer<typeof ZMessagePage>;

export const ZReadBody = z.object({
  seq: ZSeq,
});
export type TReadBody = z.infer<typeof ZReadBody>;

export const ZConversationIdParam = ZId;
