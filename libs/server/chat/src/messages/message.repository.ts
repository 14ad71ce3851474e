import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import type { TChange, TMessage } from '@chatbox/contracts';
import { callerIsMemberSql } from '../access/access.repository';
import type { StoredMessage } from './fanout-scheduler.port';
import { MESSAGE_COLUMNS, MessageRow, REACTIONS_OF, toMessage } from './message.mapper';

const SELECT_MESSAGE = Prisma.sql`
  SELECT ${MESSAGE_COLUMNS}, u."username", u."displayName", ${REACTIONS_OF}
  FROM "Message" m JOIN "User" u ON u."id" = m."senderId"`;
const SELECT_MESSAGE_WITH_CREATION = Prisma.sql`
  SELECT ${MESSAGE_COLUMNS}, m."createdEventSeq", u."username", u."displayName", ${REACTIONS_OF}
  FROM "Message" m JOIN "User" u ON u."id" = m."senderId"`;

/** PostgreSQL's unique_violation, as pg reports it. */
const isUniqueViolation = (err: unknown): boolean => (err as { code?: unknown } | undefined)?.code === '23505';

export type InsertResult = { created: true; stored: StoredMessage } | { created: false };

/** One message of a send batch; `ord` tells the batch's order within a conversation. */
export type NewMessage = { ord: number; conversationId: string; senderId: string; clientMsgId: string; body: string };

type BatchRow = MessageRow & { membersVersion: number; ord: number };

const stored = (row: BatchRow): StoredMessage => ({ message: toMessage(row), membersVersion: Number(row.membersVersion) });

@Injectable()
export class MessageRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Stores one message (insertBatch with one entry: the same statement). Nothing is stored, and
   * `created` is false, when (senderId, clientMsgId) was already used (NOT EXISTS sees the
   * committed row, or the INSERT hits the unique index and the whole statement, seq bump
   * included, rolls back), or when the sender is no longer a member of a live conversation.
   */
  async insert(conversationId: string, senderId: string, clientMsgId: string, body: string): Promise<InsertResult> {
    try {
      const stored = (await this.insertBatch([{ ord: 0, conversationId, senderId, clientMsgId, body }])).get(0);
      return stored ? { created: true, stored } : { created: false };
    } catch (err) {
      if (isUniqueViolation(err)) return { created: false };
      throw err;
    }
  }

  /**
   * Stores a batch of messages, possibly to many conversations, in ONE statement, hence one
   * transaction: one round trip and one commit for all. Each conversation's UPDATE takes the next
   * seqs and locks its row until commit, so concurrent senders commit their seqs in order,
   * without gaps; rows are locked in id order, so two batches cannot deadlock on them. It stores
   * only messages whose sender is a member of a live conversation and whose clientMsgId is
   * unused; the caller sends the others one by one, which answers each with its exact error or
   * stored duplicate. Throws, storing nothing, when a concurrent duplicate hits the unique index.
   * Senders' clientMsgIds must be unique within the batch.
   */
  async insertBatch(batch: readonly NewMessage[]): Promise<Map<number, StoredMessage>> {
    const rows = await this.prisma.rows<BatchRow>(Prisma.sql`
      WITH input AS (
        SELECT * FROM unnest(${batch.map((m) => m.ord)}::int[], ${batch.map((m) => m.conversationId)}::uuid[],
                             ${batch.map((m) => m.senderId)}::uuid[], ${batch.map((m) => m.clientMsgId)}::text[],
                             ${batch.map((m) => m.body)}::text[]) AS t("ord", "conversationId", "senderId", "clientMsgId", "body")
      ), accepted AS (
        SELECT i.* FROM input i
        JOIN "Membership" mb ON mb."conversationId" = i."conversationId" AND mb."userId" = i."senderId"
        WHERE NOT EXISTS (SELECT 1 FROM "Message" m WHERE m."senderId" = i."senderId" AND m."clientMsgId" = i."clientMsgId")
      ), counted AS (
        SELECT "conversationId", count(*)::int AS n FROM accepted GROUP BY "conversationId"
      ), locked AS MATERIALIZED (
        SELECT c."id" FROM "Conversation" c
        WHERE c."id" IN (SELECT "conversationId" FROM counted) AND c."archivedAt" IS NULL
        ORDER BY c."id" FOR UPDATE
      ), bump AS (
        UPDATE "Conversation" c
        SET "lastSeq" = c."lastSeq" + counted.n, "lastEventSeq" = c."lastEventSeq" + counted.n, "lastActivityAt" = now()
        FROM counted, locked WHERE c."id" = counted."conversationId" AND locked."id" = c."id"
        RETURNING c."id", c."lastSeq" - counted.n AS base, c."lastEventSeq" - counted.n AS "eventBase", c."membersVersion"
      ), numbered AS (
        SELECT a.*, row_number() OVER (PARTITION BY a."conversationId" ORDER BY a."ord") AS n FROM accepted a
      ), ins AS (
        INSERT INTO "Message" ("id", "conversationId", "seq", "eventSeq", "createdEventSeq", "senderId", "body", "clientMsgId")
        SELECT gen_random_uuid(), a."conversationId", bump.base + a.n, bump."eventBase" + a.n, bump."eventBase" + a.n,
               a."senderId", a."body", a."clientMsgId"
        FROM numbered a JOIN bump ON bump."id" = a."conversationId"
        RETURNING *
      ), outbox AS (
        INSERT INTO "FanoutOutbox" ("conversationId", "eventSeq") SELECT "conversationId", "eventSeq" FROM ins
      )
      SELECT ins.*, u."username", u."displayName", bump."membersVersion", a."ord"
      FROM ins
      JOIN "User" u ON u."id" = ins."senderId"
      JOIN bump ON bump."id" = ins."conversationId"
      JOIN accepted a ON a."senderId" = ins."senderId" AND a."clientMsgId" = ins."clientMsgId"`);
    return new Map(rows.map((row) => [Number(row.ord), stored(row)]));
  }

  async findBySenderAndClientMsgId(senderId: string, clientMsgId: string): Promise<TMessage | null> {
    const rows = await this.prisma.$queryRaw<MessageRow[]>`
      ${SELECT_MESSAGE} WHERE m."senderId" = ${senderId}::uuid AND m."clientMsgId" = ${clientMsgId}`;
    return rows[0] ? toMessage(rows[0]) : null;
  }

  /**
   * The changes with after < eventSeq <= upto, in stream order, each message in its current
   * state (fan-out's read of a gap; on the pool directly). A message created in the range is a
   * `created` change at its creation's place, even when it changed again since (it then carries
   * its later state); one only changed in the range is an `updated` change at its latest place.
   */
  async changesBetween(conversationId: string, after: number, upto: number): Promise<TChange[]> {
    const rows = await this.prisma.rows<MessageRow & { createdEventSeq: number }>(Prisma.sql`
      ${SELECT_MESSAGE_WITH_CREATION} WHERE m."conversationId" = ${conversationId}::uuid
        AND ((m."eventSeq" > ${after} AND m."eventSeq" <= ${upto}) OR (m."createdEventSeq" > ${after} AND m."createdEventSeq" <= ${upto}))`);
    return rows
      .map((row) => {
        const isNew = Number(row.createdEventSeq) > after;
        return { kind: isNew ? ('created' as const) : ('updated' as const), at: isNew ? Number(row.createdEventSeq) : Number(row.eventSeq), message: toMessage(row) };
      })
      .sort((a, b) => a.at - b.at)
      .map(({ kind, message }) => ({ kind, message }));
  }

  /**
   * GET .../changes: every message whose latest change is after `after`, ascending by eventSeq,
   * each once in its current state; empty unless the caller may read as a member (same statement).
   */
  async changesSince(conversationId: string, userId: string, after: number, limit: number): Promise<TMessage[]> {
    const rows = await this.prisma.rows<MessageRow>(Prisma.sql`
      ${SELECT_MESSAGE} WHERE m."conversationId" = ${conversationId}::uuid AND m."eventSeq" > ${after}
        AND ${callerIsMemberSql(conversationId, userId)}
      ORDER BY m."eventSeq" ASC LIMIT ${limit}`);
    return rows.map(toMessage);
  }

  /**
   * One page of history, ascending by seq: after a seq, before a seq, or the newest. Empty
   * unless the caller may read the conversation as a member, checked in the same statement
   * (see ConversationAccess.readAsMember): one round trip for the most frequent read.
   */
  async page(conversationId: string, userId: string, query: { before?: number; after?: number; limit: number }): Promise<TMessage[]> {
    const member = callerIsMemberSql(conversationId, userId);
    if (query.after !== undefined) {
      const rows = await this.prisma.rows<MessageRow>(Prisma.sql`
        ${SELECT_MESSAGE} WHERE m."conversationId" = ${conversationId}::uuid AND m."seq" > ${query.after} AND ${member}
        ORDER BY m."seq" ASC LIMIT ${query.limit}`);
      return rows.map(toMessage);
    }
    const before = query.before ?? 2_147_483_647;
    const rows = await this.prisma.rows<MessageRow>(Prisma.sql`
      ${SELECT_MESSAGE} WHERE m."conversationId" = ${conversationId}::uuid AND m."seq" < ${before} AND ${member}
      ORDER BY m."seq" DESC LIMIT ${query.limit}`);
    return rows.reverse().map(toMessage);
  }

  /**
   * Moves the caller's read pointer forward only, never past the newest message.
   * Returns the pointer after the update and whether it moved.
   */
  async markRead(conversationId: string, userId: string, seq: number): Promise<{ readSeq: number; moved: boolean }> {
    const rows = await this.prisma.$queryRaw<Array<{ readSeq: number; previous: number }>>`
      UPDATE "Membership" AS mb
      SET "readSeq" = GREATEST(mb."readSeq", LEAST(${seq}::int, c."lastSeq"))
      FROM "Conversation" c, (SELECT "readSeq" FROM "Membership"
                              WHERE "conversationId" = ${conversationId}::uuid AND "userId" = ${userId}::uuid) AS old
      WHERE mb."conversationId" = ${conversationId}::uuid AND mb."userId" = ${userId}::uuid AND c."id" = mb."conversationId"
      RETURNING mb."readSeq", old."readSeq" AS previous`;
    if (!rows[0]) return { readSeq: 0, moved: false };
    return { readSeq: Number(rows[0].readSeq), moved: Number(rows[0].readSeq) !== Number(rows[0].previous) };
  }
}
