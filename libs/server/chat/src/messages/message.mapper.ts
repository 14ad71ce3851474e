import { Prisma } from '@chatbox/server-db';
import { ANONYMOUS_SENDER, type TMessage, type TReaction } from '@chatbox/contracts';
import { MessageAttachment, toAttachment } from '../attachments/attachment.mapper';

/**
 * The columns every message query selects: the message joined with its sender. An anonymous
 * message has no sender (senderId, username, displayName null); its authorHash is never selected.
 */
export type MessageRow = {
  id: string;
  conversationId: string;
  seq: number;
  senderId: string | null;
  username: string | null;
  displayName: string | null;
  body: string;
  clientMsgId: string;
  createdAt: Date;
  eventSeq: number;
  editedAt: Date | null;
  deletedAt: Date | null;
  threadRootId: string | null;
  replyCount: number;
  lastReplyAt: Date | null;
  /** jsonb: [{emoji, userIds}] in order of first use. */
  reactions: TReaction[];
  mentionUserIds: string[];
  mentionsEveryone: boolean;
  /** jsonb: as sent, [] for most messages and every deleted one. */
  attachments: MessageAttachment[];
  /** Only in answers to one caller (selectMessageFor). */
  sentByYou?: boolean | null;
};

/** The message columns of MessageRow, for a message table aliased `m`. */
export const MESSAGE_COLUMNS = Prisma.sql`
  m."id", m."conversationId", m."seq", m."senderId", m."body", m."clientMsgId", m."createdAt",
  m."eventSeq", m."editedAt", m."deletedAt", m."threadRootId", m."replyCount", m."lastReplyAt", m."reactions",
  m."mentionUserIds", m."mentionsEveryone", m."attachments"`;

/** Messages joined with their sender (none for an anonymous one), as MessageRow. */
export const SELECT_MESSAGE = Prisma.sql`
  SELECT ${MESSAGE_COLUMNS}, u."username", u."displayName" FROM "Message" m LEFT JOIN "User" u ON u."id" = m."senderId"`;

/**
 * SELECT_MESSAGE for one caller, whose author key (AuthorKeys) marks the anonymous messages they
 * wrote (`sentByYou`): for answers to that caller only, never for events.
 */
export const selectMessageFor = (authorKey: string) => Prisma.sql`
  SELECT ${MESSAGE_COLUMNS}, u."username", u."displayName",
         (m."senderId" IS NULL AND m."authorHash" = "anonymous_author_hash"(${authorKey}, m."clientMsgId")) AS "sentByYou"
  FROM "Message" m LEFT JOIN "User" u ON u."id" = m."senderId"`;

const iso = (d: Date | null): string | null => (d === null ? null : new Date(d).toISOString());

export function toMessage(row: MessageRow): TMessage {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: Number(row.seq),
    sender: row.senderId === null ? { ...ANONYMOUS_SENDER } : { id: row.senderId, username: row.username ?? '', displayName: row.displayName ?? '' },
    body: row.body,
    clientMsgId: row.clientMsgId,
    createdAt: new Date(row.createdAt).toISOString(),
    eventSeq: Number(row.eventSeq),
    editedAt: iso(row.editedAt),
    deletedAt: iso(row.deletedAt),
    threadRootId: row.threadRootId,
    replyCount: Number(row.replyCount),
    lastReplyAt: iso(row.lastReplyAt),
    reactions: row.reactions,
    mentions: { userIds: row.mentionUserIds ?? [], everyone: row.mentionsEveryone ?? false },
    attachments: (row.attachments ?? []).map(toAttachment),
    anonymous: row.senderId === null,
    ...(row.sentByYou === true ? { sentByYou: true as const } : {}),
  };
}
