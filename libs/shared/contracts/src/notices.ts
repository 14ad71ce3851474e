import { z } from 'zod';
import { ZMessage } from './messages';
import { ZUserRef } from './users';

/**
 * What a notice says happened to a group's membership (shown as a system line):
 * - `created`: `actor` created the group, with `users` as its first members;
 * - `joined` / `left`: `actor` joined (a public group) or left;
 * - `added`: `actor` added `users`; `removed`: `actor` removed `users` (one);
 * - `owner`: ownership passed from `actor` (who left) to `users` (one).
 */
export const NOTICE_KINDS = ['created', 'joined', 'left', 'added', 'removed', 'owner'] as const;
export type TNoticeKind = (typeof NOTICE_KINDS)[number];

/**
 * A membership change in a group, as a line of its conversation (contract extension of issue 14).
 * Notices are not messages: they take no `seq` (history, unread counts and version 1 clients see
 * no difference) but they are changes of the conversation's stream: each takes the next
 * `eventSeq` in the transaction that changes the membership (`created` alone has eventSeq 0: the
 * stream's origin, never delivered live). `afterSeq` places it: after the message of that seq
 * and before the next (0: before the first message).
 */
export const ZNotice = z.object({
  id: z.string(),
  conversationId: z.string(),
  eventSeq: z.number().int(),
  afterSeq: z.number().int(),
  kind: z.enum(NOTICE_KINDS),
  actor: ZUserRef,
  users: z.array(ZUserRef),
  createdAt: z.string(),
});
export type TNotice = z.infer<typeof ZNotice>;

/**
 * A page of history or of changes (version 2 + notices): the messages as before, and the notices
 * that page covers, ascending by eventSeq. History: those placed in the page's seq range (from
 * just before its first message to just after its last, or on to the end when it is the newest).
 * Changes: those with an eventSeq after `after` up to the page's end (`nextCursor`, or the end).
 */
export const ZNoticesField = z.array(ZNotice);
export const ZMessagePageWithNotices = z.object({ items: z.array(ZMessage), nextCursor: z.string().nullable(), notices: ZNoticesField });
export type TMessagePageWithNotices = z.infer<typeof ZMessagePageWithNotices>;
