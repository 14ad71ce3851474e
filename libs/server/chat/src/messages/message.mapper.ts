import { Prisma } from '@chatbox/server-db';
import type { TMessage, TReaction } from '@chatbox/contracts';

/** The columns every message query selects: the message joined with its sender. */
export type MessageRow = {
  id: string;
  conversationId: string;
  seq: number;
  senderId: string;
  username: string;
  displayName: string;
  body: string;
  clientMsgId: string;
  createdAt: Date;
  eventSeq: number;
  editedAt: Date | null;
  deletedAt: Date | null;
  threadRootId: string | null;
  replyCount: number;
  lastReplyAt: Date | null;
  /** From REACTIONS_OF (json); absent where the message cannot have any yet (just sent). */
  reactions?: TReaction[] | null;
};

/** The message columns of MessageRow, for a message table aliased `m`. */
export const MESSAGE_COLUMNS = Prisma.sql`
  m."id", m."conversationId", m."seq", m."senderId", m."body", m."clientMsgId", m."createdAt",
  m."eventSeq", m."editedAt", m."deletedAt", m."threadRootId", m."replyCount", m."lastReplyAt"`;

/**
 * The reactions of the message aliased `m` as one json column: [{emoji, userIds}] ordered by
 * each emoji's first use, the users in the order they reacted. Null when there are none.
 */
export const REACTIONS_OF = Prisma.sql`(
  SELECT json_agg(json_build_object('emoji', r."emoji", 'userIds', r."userIds") ORDER BY r."first", r."emoji")
  FROM (SELECT "emoji", array_agg("userId" ORDER BY "createdAt", "userId") AS "userIds", min("createdAt") AS "first"
        FROM "Reaction" WHERE "messageId" = m."id" GROUP BY "emoji") r) AS "reactions"`;

const iso = (d: Date | null): string | null => (d === null ? null : new Date(d).toISOString());

export function toMessage(row: MessageRow): TMessage {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: Number(row.seq),
    sender: { id: row.senderId, username: row.username, displayName: row.displayName },
    body: row.body,
    clientMsgId: row.clientMsgId,
    createdAt: new Date(row.createdAt).toISOString(),
    eventSeq: Number(row.eventSeq),
    editedAt: iso(row.editedAt),
    deletedAt: iso(row.deletedAt),
    threadRootId: row.threadRootId,
    replyCount: Number(row.replyCount),
    lastReplyAt: iso(row.lastReplyAt),
    reactions: row.reactions ?? [],
    // filled by later issues (mentions, attachments, anonymous questions)
    mentions: { userIds: [], everyone: false },
    attachments: [],
    anonymous: false,
  };
}
