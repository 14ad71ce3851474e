import { z } from 'zod';
import { LIMITS } from './limits';
import { ZId, ZLimit, ZSeq, ZSeqParam, zPage, zText } from './common';
import { ZUserRef } from './users';

/**
 * A file attached to a message, or uploaded and not yet sent (API.md "Attachments"). `url` and
 * `thumbnailUrl` are paths under the api's origin (see attachmentUrl); `thumbnailUrl`, `width`
 * and `height` are set for images only.
 */
export const ZAttachment = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  url: z.string(),
  thumbnailUrl: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
});
export type TAttachment = z.infer<typeof ZAttachment>;

/** Where an attachment's bytes are served; the name is only for the browser's "save as". */
export const attachmentUrl = (id: string, name: string): string => `/api/attachments/${id}/file/${encodeURIComponent(name)}`;
/** Where an image attachment's thumbnail (WebP, at most 320 px a side) is served. */
export const attachmentThumbnailUrl = (id: string): string => `/api/attachments/${id}/thumbnail`;

/** One emoji's reactions: who reacted with it. A message's list is ordered by first use. */
export const ZReaction = z.object({ emoji: z.string(), userIds: z.array(z.string()) });
export type TReaction = z.infer<typeof ZReaction>;

/** Who a message mentions (filled by a later issue; none until then). */
export const ZMentions = z.object({ userIds: z.array(z.string()), everyone: z.boolean() });
export type TMentions = z.infer<typeof ZMentions>;

/**
 * A committed message, in its current state. Delivery over the socket is at-least-once and
 * ordered per conversation in normal operation, but a fan-out job that is retried after a crash
 * may deliver a message a second time: clients must drop duplicates by `id` and order by `seq`;
 * a gap in `seq` (got n+2 after n) means "fetch the missing range with GET .../messages?after=n".
 *
 * Version 2: `eventSeq` is the conversation's change counter at this message's latest change
 * (creation, edit, delete, reaction, a reply counted on it). A client keeps, per message, the
 * state with the highest eventSeq it has seen; a gap in eventSeq means "GET .../changes?after=".
 */
export const ZMessage = z.object({
  id: z.string(),
  conversationId: z.string(),
  seq: z.number().int(),
  sender: ZUserRef,
  body: z.string(),
  clientMsgId: z.string(),
  createdAt: z.string(),
  eventSeq: z.number().int(),
  editedAt: z.string().nullable(),
  /** Once deleted: body "", attachments [], reactions []; the seq stays as a tombstone. */
  deletedAt: z.string().nullable(),
  /** Set on a reply: the thread's root, a top-level message of the same conversation. */
  threadRootId: z.string().nullable(),
  /** On a thread's root: its replies' count and the newest one's time. */
  replyCount: z.number().int(),
  lastReplyAt: z.string().nullable(),
  reactions: z.array(ZReaction),
  mentions: ZMentions,
  attachments: z.array(ZAttachment),
  /** True: `sender` is the placeholder ANONYMOUS_SENDER; nothing in any answer or event names the author. */
  anonymous: z.boolean(),
  /**
   * Issue 18: present (true) only on an anonymous message in an answer to its own author's
   * request (the send's answer and ack, an edit's answer, history, changes, search hits, and a
   * Conversation's `lastMessage` as the author's own view shows it, in answers and in the
   * `conversation` events that go to the author alone), so any of the author's browsers may offer
   * edit and delete. Absent everywhere else, message events included: the author's sockets learn
   * it from `message:yours`.
   */
  sentByYou: z.literal(true).optional(),
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

/** The sender an anonymous message shows (API.md "Shapes, version 2": Message.anonymous). */
export const ANONYMOUS_SENDER = { id: 'anonymous', username: 'anonymous', displayName: 'Anonymous' } as const;

/** Version 2 (issue 18): `anonymous` sends without naming the sender, in a group with anonymousQuestions only (else 400). */
export const ZAnonymousFlag = z.boolean({ error: 'must be true or false' }).optional();

/**
 * The fields of a send, over REST and the socket alike. `threadRootId` (version 2): a reply, to a
 * top-level message of the same conversation (else 400). `attachmentIds` (version 2): at most 10
 * distinct uploads of the sender not sent yet; with any, `body` may be empty (also in an anonymous
 * question: the upload's row forgets its uploader when it is sent so). `anonymous`: see ZAnonymousFlag.
 */
export const SEND_MESSAGE_FIELDS = {
  clientMsgId: ZClientMsgId,
  body: zText()
    .transform(trimMessageBody)
    .pipe(z.string().max(LIMITS.bodyMax, `must be at most ${LIMITS.bodyMax} characters`)),
  threadRootId: ZId.optional(),
  attachmentIds: z
    .array(ZId, { error: 'must be a list of attachment ids' })
    .max(LIMITS.attachmentsPerMessageMax, `must hold at most ${LIMITS.attachmentsPerMessageMax} attachments`)
    .refine((ids) => new Set(ids).size === ids.length, 'must not name an attachment twice')
    .optional(),
  anonymous: ZAnonymousFlag,
};

/** A send holds text, files, or both. */
export function requireTextOrFiles(m: { body: string; attachmentIds?: readonly string[] }, ctx: z.RefinementCtx): void {
  if (m.body === '' && !m.attachmentIds?.length) ctx.addIssue({ code: 'custom', path: ['body'], message: 'must not be empty' });
}

export const ZSendMessageBody = z.object(SEND_MESSAGE_FIELDS).superRefine(requireTextOrFiles);
export type TSendMessageBody = z.infer<typeof ZSendMessageBody>;

/** PATCH /api/conversations/:id/messages/:messageId (version 2): the sender's new text. */
export const ZEditMessageBody = z.strictObject({ body: ZMessageBodyText }, { error: 'is not an allowed field' });
export type TEditMessageBody = z.infer<typeof ZEditMessageBody>;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** One emoji: a single grapheme that is pictographic, a flag or a keycap. */
const isOneEmoji = (s: string): boolean =>
  [...graphemes.segment(s)].length === 1 && /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u.test(s) && !/\p{Cc}/u.test(s);

/** A reaction (version 2): one emoji, or a `:shortcode:` of [a-z0-9_+-]{1,32}. Path parameter, URL-decoded. */
export const ZEmoji = z
  .string({ error: 'must be a string' })
  .max(64, 'must be one emoji or a :shortcode:')
  .refine((s) => LIMITS.shortcodePattern.test(s) || isOneEmoji(s), 'must be one emoji or a :shortcode: of a-z, 0-9, _, + and -');

/** The path parameters of .../messages/:messageId/reactions/:emoji (Express decodes them). */
export const ZReactionParams = z.object({ emoji: ZEmoji });

/**
 * History (version 2 adds `thread` and `around`): `thread=rootId` pages that thread's replies
 * (the root not included) with after/before like the whole history; `around=seq` answers up to
 * `limit` messages centred on that seq (alone: not with before or after).
 */
export const ZHistoryQuery = z
  .object({ before: ZSeqParam.optional(), after: ZSeqParam.optional(), around: ZSeqParam.optional(), thread: ZId.optional(), limit: ZLimit })
  .refine((q) => q.before === undefined || q.after === undefined, {
    message: 'use either before or after, not both',
    path: ['before'],
  })
  .refine((q) => q.around === undefined || (q.before === undefined && q.after === undefined && q.thread === undefined), {
    message: 'use around alone, without before, after or thread',
    path: ['around'],
  });
export type THistoryQuery = z.infer<typeof ZHistoryQuery>;

/**
 * A page of history, ascending by seq. Paging is by seq, not by cursor: older messages are
 * `before=items[0].seq`, newer ones `after=items[items.length-1].seq`; nextCursor is always null.
 */
export const ZMessagePage = zPage(ZMessage);
export type TMessagePage = z.infer<typeof ZMessagePage>;

/**
 * GET /api/conversations/:id/changes?after=&limit= (version 2): every message whose latest change
 * is after `after` (an eventSeq), ascending by eventSeq, each once in its current state. When the
 * page is full, `nextCursor` is the eventSeq to pass as the next `after`; null on the last page.
 */
export const ZChangesQuery = z.object({ after: ZSeqParam.default(0), limit: ZLimit });
export type TChangesQuery = z.infer<typeof ZChangesQuery>;

export const ZReadBody = z.object({
  seq: ZSeq,
});
export type TReadBody = z.infer<typeof ZReadBody>;

export const ZConversationIdParam = ZId;

/** A member's read pointer, as others see it (version 2; only of members who share receipts). */
export const ZReceipt = z.object({ userId: z.string(), readSeq: z.number().int() });
export type TReceipt = z.infer<typeof ZReceipt>;
/** GET /api/conversations/:id/receipts. */
export const ZReceiptList = z.object({ items: z.array(ZReceipt) });
export type TReceiptList = z.infer<typeof ZReceiptList>;
