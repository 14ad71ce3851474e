import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import type { TConversationKind } from '@chatbox/contracts';
import { MESSAGE_COLUMNS, MessageRow } from '../messages/message.mapper';
import { MARK_END, MARK_START } from './highlight-ranges';
import { hasShortPrefix, SearchTerm, searchQueriesSql } from './message-search-terms';

/** Where a page starts: past the last hit of the page before, in (rank, createdAt, id) descending order. */
export type MessageSearchKey = { rank: number; createdAt: Date; id: string };

export type MessageSearchFilter = {
  userId: string;
  terms: readonly SearchTerm[];
  conversationId?: string;
  senderId?: string;
  after?: MessageSearchKey;
  limit: number;
  /** The caller's author key (AuthorKeys): their own anonymous messages come back `sentByYou`. */
  authorKey?: string;
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
    // its filters are NULL when absent and its terms decide which index entries it reads
    return this.prisma.rows<MessageSearchRow>(messageSearchSql(filter), { plan: 'custom' });
  }
}

/**
 * One search as one statement (exported so the benchmark runs and EXPLAINs the real query), of
 * one text whatever the terms and filters (they are parameters, NULL when absent): prepared once.
 *
 * The matches come from the GIN index (conversationId, searchVector), looked up once per
 * conversation of the caller (`mine`): each lookup intersects that conversation's entries with
 * the terms' inside the index, so its cost is what the conversation holds, whatever the whole
 * table does. A prefix of INDEXED_PREFIX_LENGTH letters or more is one exact lexeme there, like
 * a word (see the migration *_message_search_prefixes). The lookups sit behind OFFSET 0 so that
 * the sender and cursor filters stay out of them and cannot bring another index (the sender's)
 * into play. A shorter prefix is a partial match, which gathers every match in the table on
 * every lookup: then there is one lookup, of the conversations' lexemes ORed.
 *
 * Each match is ranked (ts_rank: how often and how close together the words occur), the best
 * first, the newest first among equals. A deleted message has an empty body and so no words;
 * `deletedAt` is tested all the same. Only the page's rows get their sender, conversation and
 * marked words.
 */
export function messageSearchSql(filter: MessageSearchFilter): Prisma.Sql {
  const { userId, terms, after, limit } = filter;
  const conversationId = filter.conversationId ?? null;
  const senderId = filter.senderId ?? null;
  return Prisma.sql`
    WITH q AS MATERIALIZED (${searchQueriesSql(terms)}),
    mine AS MATERIALIZED (
      SELECT mb."conversationId" AS id
      FROM "Membership" mb JOIN "Conversation" c ON c."id" = mb."conversationId"
      WHERE mb."userId" = ${userId}::uuid AND c."archivedAt" IS NULL
        AND (${conversationId}::uuid IS NULL OR mb."conversationId" = ${conversationId}::uuid)
    ),
    found AS (${hasShortPrefix(terms) ? inOneLookup(senderId) : perConversation(senderId)}),
    hits AS (
      SELECT f."id", f.rank FROM found f
      WHERE f."deletedAt" IS NULL
        AND (${senderId}::uuid IS NULL OR f."senderId" = ${senderId}::uuid)
        AND (${after?.rank ?? null}::real IS NULL
             OR (f.rank, f."createdAt", f."id") < (${after?.rank ?? null}::real, ${after?.createdAt ?? null}::timestamptz, ${after?.id ?? null}::uuid))
      ORDER BY f.rank DESC, f."createdAt" DESC, f."id" DESC
      LIMIT ${limit}
    )
    SELECT ${MESSAGE_COLUMNS}, u."username", u."displayName", h.rank,
           (m."senderId" IS NULL AND m."authorHash" = "anonymous_author_hash"(${filter.authorKey ?? null}::text, m."clientMsgId")) AS "sentByYou",
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

/** What `found` gives: every match of q.query in the caller's conversations, ranked. */
const FOUND_COLUMNS = Prisma.raw(`m."id", m."createdAt", m."senderId", m."deletedAt", ts_rank(m."searchVector", q.query) AS rank`);

/**
 * Leaves out, before they are ranked, the matches of another sender than the `from` filter's
 * (ranking is most of a match's cost). Written so that no index can serve it (`IS NOT FALSE`):
 * it must not bring the sender's btree into the index lookups. It keeps anonymous messages
 * (no sender); `hits` applies the filter exactly.
 */
const senderFirst = (senderId: string | null) => Prisma.sql`(m."senderId" = ${senderId}::uuid) IS NOT FALSE`;

/** One index lookup per conversation of the caller (numnode: no lexeme, no lookup at all). */
const perConversation = (senderId: string | null) => Prisma.sql`
  SELECT m.* FROM mine CROSS JOIN LATERAL (
    SELECT ${FOUND_COLUMNS}
    FROM q, "Message" m
    WHERE numnode(q.match) > 0
      AND m."conversationId" = mine.id AND m."searchVector" @@ q.match
      AND (q.exact OR ts_match_vq(m."searchVector", q.query))
      AND ${senderFirst(senderId)}
    OFFSET 0
  ) m`;

/** One index lookup for all of the caller's conversations, their lexemes ORed. */
const inOneLookup = (senderId: string | null) => Prisma.sql`
  SELECT ${FOUND_COLUMNS}
  FROM q, "Message" m
  WHERE m."searchVector" @@ (q.match && (SELECT string_agg(quote_literal('~' || id::text), ' | ')::tsquery FROM mine))
    AND ts_match_vq(m."searchVector", q.query)
    AND ${senderFirst(senderId)}
  OFFSET 0`;
