import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import type { TConversationKind, TNotifyLevel, TRole, TUserRole, TVisibility } from '@chatbox/contracts';
import type { Db } from '../persistence/transaction.runner';
import { MESSAGE_COLUMNS, MessageRow } from '../messages/message.mapper';

/** One conversation as one member (viewerId) sees it, flat from SQL. */
export type ConversationViewRow = {
  id: string;
  viewerId: string;
  kind: TConversationKind;
  name: string | null;
  visibility: TVisibility | null;
  /** An ephemeral group: lastSeq, lastEventSeq, the last message and mentions come from Redis (EphemeralViews). */
  ephemeral: boolean;
  lastSeq: number;
  lastEventSeq: number;
  lastActivityAt: Date;
  role: TRole;
  readSeq: number;
  /** The member's chosen level, or null for the conversation's default. */
  notify: TNotifyLevel | null;
  /** Unread messages of others that mention this member or everyone. */
  mentions: number;
  /** The member's own anonymous messages after their read pointer: not unread for them. */
  ownAnonymous: number;
  memberCount: number;
  peerId: string | null;
  peerUsername: string | null;
  peerDisplayName: string | null;
  peerRole: TUserRole | null;
  peerDeactivated: boolean | null;
  description: string;
  anonymousQuestions: boolean;
  /** The message with seq = lastSeq, as json (its times as strings); `sentByYou` for the viewer's own anonymous one. */
  lastMessage: MessageRow | null;
};

export type ViewFilter =
  | { userId: string; conversationId?: string; before?: { lastActivityAt: Date; id: string }; limit?: number }
  | { conversationId: string; userIds: readonly string[] };

/**
 * Conversations as their members see them, in ONE query whatever their number: the direct
 * peer and the last message come from joins, not from a query per conversation; memberCount is
 * the column a trigger keeps (counting `all` per read would cost one index entry per user).
 */
@Injectable()
export class ConversationViewRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * In a transaction when `db` is one; otherwise on pg's direct path (every login and reconnect asks).
   * `authorKeys`: each viewer's author key (AuthorKeys), which alone tells their own anonymous
   * messages (neither unread nor a mention for them); a viewer without one has none.
   */
  views(filter: ViewFilter, authorKeys: ReadonlyMap<string, string>, db?: Db): Promise<ConversationViewRow[]> {
    const limit = 'limit' in filter && filter.limit !== undefined ? Prisma.sql`LIMIT ${filter.limit}` : Prisma.empty;
    const query = Prisma.sql`
      WITH mine AS (
        SELECT m."conversationId", m."userId", m.role, m."readSeq", m."notify"
        FROM "Membership" m JOIN "Conversation" c ON c.id = m."conversationId"
        WHERE c."archivedAt" IS NULL AND ${whereOf(filter)}
        ORDER BY c."lastActivityAt" DESC, c.id DESC
        ${limit}
      )
      SELECT c.id, m."userId" AS "viewerId", c.kind::text AS kind, c.name, c.visibility::text AS visibility, c."ephemeral",
             c."lastSeq", c."lastEventSeq", c."lastActivityAt", m.role::text AS role, m."readSeq", c."memberCount",
             m."notify"::text AS "notify", coalesce(mc.n, 0) AS "mentions", coalesce(oa.n, 0) AS "ownAnonymous",
             c."description", c."anonymousQuestions",
             p.id AS "peerId", p.username AS "peerUsername", p."displayName" AS "peerDisplayName",
             p.role::text AS "peerRole", p."deactivatedAt" IS NOT NULL AS "peerDeactivated",
             to_json(lm) AS "lastMessage"
      FROM mine m
      JOIN "Conversation" c ON c.id = m."conversationId"
      LEFT JOIN unnest(${[...authorKeys.keys()]}::uuid[], ${[...authorKeys.values()]}::text[]) AS k("userId", "key") ON k."userId" = m."userId"
      LEFT JOIN LATERAL (
        SELECT u.id, u.username, u."displayName", u.role, u."deactivatedAt"
        FROM "Membership" pm JOIN "User" u ON u.id = pm."userId"
        WHERE c.kind = 'direct' AND pm."conversationId" = c.id AND pm."userId" <> m."userId"
        LIMIT 1
      ) p ON true
      LEFT JOIN LATERAL (
        SELECT ${MESSAGE_COLUMNS}, s.username, s."displayName",
               -- marked for its author alone (their key), as history marks it
               (m."senderId" IS NULL AND m."authorHash" = "anonymous_author_hash"(k."key", m."clientMsgId")) AS "sentByYou"
        FROM "Message" m LEFT JOIN "User" s ON s.id = m."senderId"
        WHERE m."conversationId" = c.id AND m.seq = c."lastSeq"
      ) lm ON true
      LEFT JOIN LATERAL (
        -- the partial index "Message_mentions_idx" holds only messages that mention someone
        SELECT count(*)::int AS n FROM "Message" x
        WHERE c."lastSeq" > m."readSeq" AND x."conversationId" = c.id AND x.seq > m."readSeq"
          AND (x."mentionsEveryone" OR cardinality(x."mentionUserIds") > 0)
          AND (x."mentionsEveryone" OR m."userId" = ANY(x."mentionUserIds"))
          -- an anonymous message (no senderId) counts for everyone it mentions but its author
          AND x."senderId" IS DISTINCT FROM m."userId" AND x."deletedAt" IS NULL
          AND NOT coalesce(x."authorHash" = "anonymous_author_hash"(k."key", x."clientMsgId"), false)
      ) mc ON true
      LEFT JOIN LATERAL (
        -- the partial index "Message_anonymous_idx" holds only anonymous messages
        SELECT count(*)::int AS n FROM "Message" y
        WHERE c."lastSeq" > m."readSeq" AND k."key" IS NOT NULL AND y."conversationId" = c.id AND y.seq > m."readSeq"
          AND y."authorHash" IS NOT NULL AND y."authorHash" = "anonymous_author_hash"(k."key", y."clientMsgId")
      ) oa ON true
      ORDER BY c."lastActivityAt" DESC, c.id DESC`;
    return db ? db.$queryRaw<ConversationViewRow[]>(query) : this.prisma.rows<ConversationViewRow>(query);
  }
}

function whereOf(filter: ViewFilter): Prisma.Sql {
  if ('userIds' in filter) {
    if (filter.userIds.length === 0) return Prisma.sql`false`;
    // one array parameter, whatever the group's size
    return Prisma.sql`m."conversationId" = ${filter.conversationId}::uuid AND m."userId" = ANY(${[...filter.userIds]}::uuid[])`;
  }
  const parts = [Prisma.sql`m."userId" = ${filter.userId}::uuid`];
  if (filter.conversationId) parts.push(Prisma.sql`m."conversationId" = ${filter.conversationId}::uuid`);
  if (filter.before) {
    parts.push(Prisma.sql`(c."lastActivityAt", c.id) < (${filter.before.lastActivityAt}::timestamptz, ${filter.before.id}::uuid)`);
  }
  return Prisma.join(parts, ' AND ');
}
