import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import type { TConversationKind } from '@chatbox/contracts';
import { MESSAGE_COLUMNS, MessageRow } from '../messages/message.mapper';
import { MARK_END, MARK_START } from './highlight-ranges';
import { SearchTerm, tsquerySql } from './message-search-terms';

/** Where a page starts: past the last hit of the page before, in (rank, createdAt, id) descending order. */
export type MessageSearchKey = { rank: number; createdAt: Date; id: string };

export type MessageSearchFilter = {
  userId: string;
  terms: readonly SearchTerm[];
  conversationId?: string;
  senderId?: string;
  after?: MessageSearchKey;
  limit: number;
};

export type MessageSearchRow = MessageRow & {
  rank: number;
  kind: TConversationKind;
  conversationName: string | null;
  peerDisplayName: string | null;
  /** The body with the matched words between MARK_START and MARK_END. */
  marked: string;
};

@Injectable()
export class MessageSearchRepository {
  constructor(private readonly prisma: PrismaService) {}

  search(filter: MessageSearchFilter): Promise<MessageSearchRow[]> {
    return this.prisma.rows<MessageSearchRow>(messageSearchSql(filter));
  }
}

/**
 * One search as one statement (exported so the benchmark runs and EXPLAINs the real query).
 * The GIN index hands back only matches in the caller's live conversations now (optionally just
 * one: see inCallersConversations); each is ranked (ts_rank: how often and how close together
 * the words occur), the best first, the newest first among equals. A
 * deleted message has an empty body and so no words; `deletedAt` is tested all the same.
 * Only the page's rows get their sender, conversation and marked words.
 */
export function messageSearchSql(filter: MessageSearchFilter): Prisma.Sql {
  const { userId, terms, conversationId, senderId, after, limit } = filter;
  const oneConversation = conversationId ? Prisma.sql`AND mb."conversationId" = ${conversationId}::uuid` : Prisma.empty;
  const fromSender = senderId ? Prisma.sql`AND m."senderId" = ${senderId}::uuid` : Prisma.empty;
  const pastCursor = after
    ? Prisma.sql`AND (ts_rank(m."searchVector", q.query), m."createdAt", m."id") < (${after.rank}::real, ${after.createdAt}::timestamptz, ${after.id}::uuid)`
    : Prisma.empty;
  return Prisma.sql`
    WITH q AS (SELECT ${tsquerySql(terms)} AS query),
    mine AS (
      SELECT array_agg(mb."conversationId") AS ids,
             -- the same conversations as their lexemes (see the migration), ORed
             string_agg(quote_literal('~' || mb."conversationId"::text), ' | ')::tsquery AS query
      FROM "Membership" mb JOIN "Conversation" c ON c."id" = mb."conversationId"
      WHERE mb."userId" = ${userId}::uuid AND c."archivedAt" IS NULL ${oneConversation}
    ),
    hits AS (
      SELECT m."id", ts_rank(m."searchVector", q.query) AS rank
      FROM q, "Message" m
      WHERE ${inCallersConversations(terms)}
        AND m."deletedAt" IS NULL ${fromSender} ${pastCursor}
      ORDER BY rank DESC, m."createdAt" DESC, m."id" DESC
      LIMIT ${limit}
    )
    SELECT ${MESSAGE_COLUMNS}, u."username", u."displayName", h.rank,
           c."kind"::text AS "kind", c."name" AS "conversationName", peer."displayName" AS "peerDisplayName",
           ts_headline('chatbox_search'::regconfig, translate(m."body", ${MARK_START + MARK_END}, '  '), q.query,
                       ${`HighlightAll=true, StartSel=${MARK_START}, StopSel=${MARK_END}`}) AS "marked"
    FROM hits h CROSS JOIN q
    JOIN "Message" m ON m."id" = h."id"
    LEFT JOIN "User" u ON u."id" = m."senderId"
    JOIN "Conversation" c ON c."id" = m."conversationId"
    LEFT JOIN LATERAL (
      SELECT pu."displayName" FROM "Membership" pm JOIN "User" pu ON pu."id" = pm."userId"
      WHERE c."kind" = 'direct' AND pm."conversationId" = c."id" AND pm."userId" <> ${userId}::uuid
      LIMIT 1
    ) peer ON true
    ORDER BY h.rank DESC, m."createdAt" DESC, m."id" DESC`;
}

/**
 * Only matches in the caller's conversations, found inside the index, in the cheaper of two
 * ways. Words: one scan per conversation (its entries in the index's first column intersected
 * with the words'), the fastest for common words. A prefix would gather every match of the
 * prefix anywhere in each of those scans, so then one scan ANDs the words with the
 * conversations' lexemes ORed.
 */
function inCallersConversations(terms: readonly SearchTerm[]): Prisma.Sql {
  return terms.some((t) => t.kind === 'prefix')
    ? Prisma.sql`m."searchVector" @@ (q.query && (SELECT query FROM mine))`
    : Prisma.sql`m."conversationId" = ANY((SELECT ids FROM mine)::uuid[]) AND m."searchVector" @@ q.query`;
}
