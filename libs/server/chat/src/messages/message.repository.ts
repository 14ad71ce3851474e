import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import type { TChange, TMessage } from '@chatbox/contracts';
import { callerIsMemberSql } from '../access/access.repository';
import { directBlocksSql } from '../blocks/block.repository';
import type { StoredChange, StoredMessage } from './fanout-scheduler.port';
import { MESSAGE_COLUMNS, MessageRow, SELECT_MESSAGE, selectMessageFor, toMessage } from './message.mapper';
import { everyoneRefusedSql, mentionedMembersSql, MentionInput } from './mentions';

/** PostgreSQL's unique_violation, as pg reports it. */
const isUniqueViolation = (err: unknown): boolean => (err as { code?: unknown } | undefined)?.code === '23505';

export type InsertResult = { created: true; stored: StoredMessage; roots: StoredChange[] } | { created: false };

/**
 * One message of a send batch; `ord` tells the batch's order within a conversation.
 * `attachmentIds`: uploads of the sender not sent yet, attached in the same statement. `authorKey`
 * is the sender's author key (AuthorKeys): an anonymous message is stored without its sender, as
 * the hash of that key and its clientMsgId, and every send looks for an earlier one of either kind.
 */
export type NewMessage = {
  ord: number;
  conversationId: string;
  senderId: string;
  clientMsgId: string;
  body: string;
  threadRootId?: string;
  mentions: MentionInput;
  attachmentIds?: readonly string[];
  anonymous: boolean;
  authorKey: string;
};

/** `ord` is null on the rows of thread roots the batch's replies counted on. */
type BatchRow = MessageRow & { membersVersion: number; ord: number | null };

@Injectable()
export class MessageRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Stores one message (insertBatch with one entry: the same statement). Nothing is stored, and
   * `created` is false, when (senderId, clientMsgId) was already used (NOT EXISTS sees the
   * committed row, or the INSERT hits the unique index and the whole statement, seq bump
   * included, rolls back), or when the sender is no longer a member of a live conversation, or
   * when threadRootId names no top-level message of the conversation, or when it mentions
   * @everyone where the sender may not, or when one of its attachmentIds is not an unsent upload
   * of the sender, or when it is anonymous where the conversation takes no anonymous questions.
   */
  async insert(message: Omit<NewMessage, 'ord'>): Promise<InsertResult> {
    try {
      const { stored, roots } = await this.insertBatch([{ ...message, ord: 0 }]);
      const created = stored.get(0);
      return created ? { created: true, stored: created, roots } : { created: false };
    } catch (err) {
      if (isUniqueViolation(err)) return { created: false };
      throw err;
    }
  }

  /**
   * Stores a batch of messages, possibly to many conversations, in ONE statement, hence one
   * transaction: one round trip and one commit for all. Each conversation's UPDATE takes the next
   * seqs and eventSeqs and locks its row until commit, so concurrent writers commit them in
   * order, without gaps; rows are locked in id order, so two batches cannot deadlock on them.
   * Replies count on their thread's root in the same statement: each root touched takes one
   * eventSeq after the batch's messages of its conversation (`roots`, its state after them).
   * It stores only messages whose sender is a member of a live conversation, whose clientMsgId
   * is unused (by a named or an anonymous message of the sender), which are anonymous only where
   * the conversation takes anonymous questions, and whose threadRootId (if any) is a top-level
   * message of that conversation; the
   * caller sends the others one by one, which answers each with its exact error or stored
   * duplicate. Throws, storing nothing, when a concurrent duplicate hits the unique index.
   * Senders' clientMsgIds must be unique within the batch.
   * Attachments: a message is stored only when every one of its attachmentIds is an upload of
   * its sender, not deleted, not sent, and not asked for by another message of the batch; those
   * rows are locked (a concurrent send of the same upload waits, then sees it sent) and get the
   * message's id (and, in an anonymous message, no uploader), and the message row carries them as
   * it shows them (its "attachments" column).
   * A batch without attachments reads no attachment row.
   */
  async insertBatch(batch: readonly NewMessage[], opts: { timeoutMs?: number } = {}): Promise<{ stored: Map<number, StoredMessage>; roots: StoredChange[] }> {
    const wanted = batch.flatMap((m) => (m.attachmentIds ?? []).map((id, pos) => ({ ord: m.ord, id, pos })));
    const rows = await this.prisma.rows<BatchRow>(Prisma.sql`
      WITH input AS (
        SELECT * FROM unnest(${batch.map((m) => m.ord)}::int[], ${batch.map((m) => m.conversationId)}::uuid[],
                             ${batch.map((m) => m.senderId)}::uuid[], ${batch.map((m) => m.clientMsgId)}::text[],
                             ${batch.map((m) => m.body)}::text[], ${batch.map((m) => m.threadRootId ?? null)}::uuid[],
                             ${batch.map((m) => m.mentions.names)}::text[], ${batch.map((m) => m.mentions.everyone)}::boolean[],
                             ${batch.map((m) => m.attachmentIds?.length ?? 0)}::int[],
                             ${batch.map((m) => m.anonymous)}::boolean[], ${batch.map((m) => m.authorKey)}::text[])
                      AS t("ord", "conversationId", "senderId", "clientMsgId", "body", "threadRootId", "mentionNames", "everyone", "attachmentCount",
                           "anonymous", "authorKey")
      ), wanted AS (
        SELECT * FROM unnest(${wanted.map((w) => w.ord)}::int[], ${wanted.map((w) => w.id)}::uuid[], ${wanted.map((w) => w.pos)}::int[])
                      AS w("ord", "attachmentId", "pos")
      ), claimable AS MATERIALIZED (
        -- locked: a concurrent batch claiming the same upload waits, then finds it sent
        SELECT w."ord", w."pos", a."id", a."name", a."contentType", a."size", a."width", a."height", a."thumbnailKey"
        FROM wanted w JOIN input i ON i."ord" = w."ord"
        JOIN "Attachment" a ON a."id" = w."attachmentId" AND a."uploaderId" = i."senderId" AND a."messageId" IS NULL AND a."roomId" IS NULL
                          AND a."deletedAt" IS NULL
        WHERE NOT EXISTS (SELECT 1 FROM wanted o WHERE o."attachmentId" = w."attachmentId" AND o."ord" <> w."ord")
        FOR UPDATE OF a
      ), accepted AS (
        SELECT i.*, "anonymous_author_hash"(i."authorKey", i."clientMsgId") AS "authorHash" FROM input i
        JOIN "Membership" mb ON mb."conversationId" = i."conversationId" AND mb."userId" = i."senderId"
        WHERE NOT EXISTS (SELECT 1 FROM "Message" m WHERE m."senderId" = i."senderId" AND m."clientMsgId" = i."clientMsgId")
          AND NOT EXISTS (SELECT 1 FROM "Message" m WHERE m."authorHash" = "anonymous_author_hash"(i."authorKey", i."clientMsgId"))
          -- scalar subqueries: one row read by key per message. As EXISTS under an OR, PostgreSQL may
          -- hash the whole subquery instead (every top-level message of every conversation), and a
          -- session's generic plan made while the table was small went on doing so as it grew
          AND (NOT i."anonymous" OR (SELECT ac."anonymousQuestions" FROM "Conversation" ac WHERE ac."id" = i."conversationId"))
          AND (i."threadRootId" IS NULL OR (
            SELECT r."conversationId" = i."conversationId" AND r."threadRootId" IS NULL FROM "Message" r WHERE r."id" = i."threadRootId"))
          -- nor into a direct conversation with a block between its two members
          AND NOT EXISTS (${directBlocksSql(Prisma.raw('i."conversationId"'))})
          AND NOT (i."everyone" AND ${everyoneRefusedSql(Prisma.raw('i."conversationId"'), Prisma.raw('i."senderId"'))})
          AND (i."attachmentCount" = 0 OR i."attachmentCount" = (SELECT count(*) FROM claimable c WHERE c."ord" = i."ord"))
      ), counted AS (
        SELECT "conversationId", count(*)::int AS n, count(DISTINCT "threadRootId")::int AS r FROM accepted GROUP BY "conversationId"
      ), locked AS MATERIALIZED (
        SELECT c."id" FROM "Conversation" c
        WHERE c."id" IN (SELECT "conversationId" FROM counted) AND c."archivedAt" IS NULL
        ORDER BY c."id" FOR UPDATE
      ), bump AS (
        UPDATE "Conversation" c
        SET "lastSeq" = c."lastSeq" + counted.n, "lastEventSeq" = c."lastEventSeq" + counted.n + counted.r, "lastActivityAt" = now()
        FROM counted, locked WHERE c."id" = counted."conversationId" AND locked."id" = c."id"
        RETURNING c."id", c."lastSeq" - counted.n AS base, c."lastEventSeq" - counted.n - counted.r AS "eventBase", counted.n, c."membersVersion"
      ), numbered AS (
        SELECT a.*, row_number() OVER (PARTITION BY a."conversationId" ORDER BY a."ord") AS k FROM accepted a
      ), ins AS (
        INSERT INTO "Message" AS m ("id", "conversationId", "seq", "eventSeq", "createdEventSeq", "senderId", "authorHash", "body", "clientMsgId", "threadRootId",
                                    "mentionUserIds", "mentionsEveryone", "attachments")
        SELECT gen_random_uuid(), a."conversationId", bump.base + a.k, bump."eventBase" + a.k, bump."eventBase" + a.k,
               CASE WHEN a."anonymous" THEN NULL ELSE a."senderId" END, CASE WHEN a."anonymous" THEN a."authorHash" END,
               a."body", a."clientMsgId", a."threadRootId",
               ${mentionedMembersSql(Prisma.raw('a."conversationId"'), Prisma.raw('a."mentionNames"'))}, a."everyone",
               CASE WHEN a."attachmentCount" = 0 THEN '[]'::jsonb ELSE (
                 SELECT jsonb_agg(jsonb_build_object('id', c."id", 'name', c."name", 'contentType', c."contentType", 'size', c."size",
                                                     'width', c."width", 'height', c."height", 'thumbnail', c."thumbnailKey" IS NOT NULL) ORDER BY c."pos")
                 FROM claimable c WHERE c."ord" = a."ord") END
        FROM numbered a JOIN bump ON bump."id" = a."conversationId"
        RETURNING ${MESSAGE_COLUMNS} -- not the search vector PostgreSQL computes for it
      ), attached AS (
        -- an anonymous question's files forget their uploader (the row would name the asker)
        UPDATE "Attachment" att SET "messageId" = ins."id", "uploaderId" = CASE WHEN a."anonymous" THEN NULL ELSE att."uploaderId" END
        -- by the seq the message took (an anonymous row has no senderId to match)
        FROM claimable c JOIN numbered a ON a."ord" = c."ord" JOIN bump ON bump."id" = a."conversationId"
        JOIN ins ON ins."conversationId" = a."conversationId" AND ins."seq" = bump.base + a.k
        WHERE att."id" = c."id"
      ), roots AS (
        SELECT "threadRootId" AS "id", "conversationId", count(*)::int AS replies,
               row_number() OVER (PARTITION BY "conversationId" ORDER BY min("ord")) AS k
        FROM accepted WHERE "threadRootId" IS NOT NULL GROUP BY "threadRootId", "conversationId"
      ), counted_roots AS (
        UPDATE "Message" m SET "replyCount" = m."replyCount" + roots.replies, "lastReplyAt" = now(),
                               "eventSeq" = bump."eventBase" + bump.n + roots.k
        FROM roots JOIN bump ON bump."id" = roots."conversationId"
        WHERE m."id" = roots."id"
        RETURNING ${MESSAGE_COLUMNS}
      ), outbox AS (
        INSERT INTO "FanoutOutbox" ("conversationId", "eventSeq")
        SELECT "conversationId", "eventSeq" FROM ins UNION ALL SELECT "conversationId", "eventSeq" FROM counted_roots
      )
      SELECT ins.*, u."username", u."displayName", bump."membersVersion", a."ord"
      FROM ins
      LEFT JOIN "User" u ON u."id" = ins."senderId"
      JOIN bump ON bump."id" = ins."conversationId"
      -- by the seq it took (an anonymous row has no senderId to match)
      JOIN numbered a ON a."conversationId" = ins."conversationId" AND ins."seq" = bump.base + a.k
      UNION ALL
      SELECT r.*, u."username", u."displayName", bump."membersVersion", NULL
      FROM counted_roots r
      LEFT JOIN "User" u ON u."id" = r."senderId"
      JOIN bump ON bump."id" = r."conversationId"`, opts);
    const stored = new Map<number, StoredMessage>();
    const roots: StoredChange[] = [];
    for (const row of rows) {
      const item = { message: toMessage(row), membersVersion: Number(row.membersVersion) };
      if (row.ord === null) roots.push({ kind: 'updated', ...item });
      else stored.set(Number(row.ord), item);
    }
    return { stored, roots };
  }

  /** True when `rootId` is a top-level message of the conversation (a reply may name it). */
  async isThreadRoot(conversationId: string, rootId: string): Promise<boolean> {
    const rows = await this.prisma.rows<{ ok: boolean }>(Prisma.sql`
      SELECT true AS ok FROM "Message" WHERE "id" = ${rootId}::uuid AND "conversationId" = ${conversationId}::uuid AND "threadRootId" IS NULL`);
    return rows.length > 0;
  }

  /** The sender's message of this clientMsgId, named or anonymous (recognised by `authorKey`, see NewMessage). */
  async findBySenderAndClientMsgId(senderId: string, clientMsgId: string, authorKey: string): Promise<TMessage | null> {
    const rows = await this.prisma.$queryRaw<MessageRow[]>`
      (${SELECT_MESSAGE} WHERE m."senderId" = ${senderId}::uuid AND m."clientMsgId" = ${clientMsgId})
      UNION ALL
      (${SELECT_MESSAGE} WHERE m."authorHash" = "anonymous_author_hash"(${authorKey}, ${clientMsgId}))`;
    return rows[0] ? toMessage(rows[0]) : null;
  }

  /**
   * Fan-out's read of a gap (on the pool directly): every message changed or created after
   * `after`, each once in its current state, ascending by its current eventSeq, so live
   * eventSeqs only rise. A message created by `upto` may have changed later; the read then
   * reaches up to that later eventSeq (and so on, for messages created on the way: one
   * statement, one snapshot) and returns how far it reached: every change in (after, reached]
   * is sent or superseded by a state sent. `created` when the message was created after `after`.
   */
  async changesBetween(conversationId: string, after: number, upto: number): Promise<{ changes: TChange[]; reached: number }> {
    const rows = await this.prisma.rows<MessageRow & { createdEventSeq: number; reached: number }>(Prisma.sql`
      WITH RECURSIVE reach("upto") AS (
        SELECT ${upto}::int
        UNION
        SELECT GREATEST(r."upto", (SELECT MAX(n."eventSeq") FROM "Message" n WHERE n."conversationId" = ${conversationId}::uuid
                                     AND n."createdEventSeq" > ${after} AND n."createdEventSeq" <= r."upto"))
        FROM reach r
      ), reached AS (SELECT MAX("upto") AS "reached" FROM reach)
      SELECT ${MESSAGE_COLUMNS}, m."createdEventSeq", u."username", u."displayName", reached."reached"
      FROM reached LEFT JOIN ("Message" m LEFT JOIN "User" u ON u."id" = m."senderId")
        ON m."conversationId" = ${conversationId}::uuid AND m."eventSeq" > ${after} AND m."eventSeq" <= reached."reached"
      ORDER BY m."eventSeq" ASC`);
    const reached = Math.max(upto, Number(rows[0]?.reached ?? upto));
    const changes = rows
      .filter((row) => row.id !== null)
      .map((row) => ({ kind: Number(row.createdEventSeq) > after ? ('created' as const) : ('updated' as const), message: toMessage(row) }));
    return { changes, reached };
  }

  /**
   * GET .../changes: every message whose latest change is after `after`, ascending by eventSeq,
   * each once in its current state; empty unless the caller may read as a member (same statement).
   * `authorKey`: the caller's (AuthorKeys), marking their anonymous messages `sentByYou`.
   */
  async changesSince(conversationId: string, userId: string, after: number, limit: number, authorKey: string): Promise<TMessage[]> {
    const select = selectMessageFor(authorKey);
    const rows = await this.prisma.rows<MessageRow>(Prisma.sql`
      ${select} WHERE m."conversationId" = ${conversationId}::uuid AND m."eventSeq" > ${after}
        AND ${callerIsMemberSql(conversationId, userId)}
      ORDER BY m."eventSeq" ASC LIMIT ${limit}`);
    return rows.map(toMessage);
  }

  /**
   * One page of history, ascending by seq: after a seq, before a seq, or the newest; only a
   * thread's replies when `thread` names its root; or centred on `around`. Empty unless the
   * caller may read the conversation as a member, checked in the same statement (see
   * ConversationAccess.readAsMember): one round trip for the most frequent read. `authorKey`: as
   * for changesSince.
   */
  async page(
    conversationId: string,
    userId: string,
    query: { before?: number; after?: number; around?: number; thread?: string; limit: number },
    authorKey: string,
  ): Promise<TMessage[]> {
    const select = selectMessageFor(authorKey);
    const where = Prisma.sql`m."conversationId" = ${conversationId}::uuid AND ${callerIsMemberSql(conversationId, userId)}
      AND ${query.thread === undefined ? Prisma.sql`true` : Prisma.sql`m."threadRootId" = ${query.thread}::uuid`}`;
    if (query.around !== undefined) {
      const older = Math.ceil(query.limit / 2);
      const rows = await this.prisma.rows<MessageRow>(Prisma.sql`
        (${select} WHERE ${where} AND m."seq" <= ${query.around} ORDER BY m."seq" DESC LIMIT ${older})
        UNION ALL
        (${select} WHERE ${where} AND m."seq" > ${query.around} ORDER BY m."seq" ASC LIMIT ${query.limit - older})`);
      return rows.map(toMessage).sort((a, b) => a.seq - b.seq);
    }
    if (query.after !== undefined) {
      const rows = await this.prisma.rows<MessageRow>(Prisma.sql`
        ${select} WHERE ${where} AND m."seq" > ${query.after} ORDER BY m."seq" ASC LIMIT ${query.limit}`);
      return rows.map(toMessage);
    }
    const before = query.before ?? 2_147_483_647;
    const rows = await this.prisma.rows<MessageRow>(Prisma.sql`
      ${select} WHERE ${where} AND m."seq" < ${before} ORDER BY m."seq" DESC LIMIT ${query.limit}`);
    return rows.reverse().map(toMessage);
  }

  /**
   * Moves the caller's read pointer forward only, never past the newest message.
   * Returns the pointer after the update, whether it moved, and whether the caller shares receipts.
   */
  async markRead(conversationId: string, userId: string, seq: number): Promise<{ readSeq: number; moved: boolean; shares: boolean }> {
    const rows = await this.prisma.$queryRaw<Array<{ readSeq: number; previous: number; shares: boolean }>>`
      UPDATE "Membership" AS mb
      SET "readSeq" = GREATEST(mb."readSeq", LEAST(${seq}::int, c."lastSeq"))
      FROM "Conversation" c, (SELECT "readSeq" FROM "Membership"
                              WHERE "conversationId" = ${conversationId}::uuid AND "userId" = ${userId}::uuid) AS old
      WHERE mb."conversationId" = ${conversationId}::uuid AND mb."userId" = ${userId}::uuid AND c."id" = mb."conversationId"
      RETURNING mb."readSeq", old."readSeq" AS previous,
                (SELECT u."shareReadReceipts" FROM "User" u WHERE u."id" = ${userId}::uuid) AS shares`;
    if (!rows[0]) return { readSeq: 0, moved: false, shares: false };
    return { readSeq: Number(rows[0].readSeq), moved: Number(rows[0].readSeq) !== Number(rows[0].previous), shares: rows[0].shares };
  }
}
