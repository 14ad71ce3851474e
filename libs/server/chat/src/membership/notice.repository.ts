import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import type { TNotice, TNoticeKind, TUserRef } from '@chatbox/contracts';
import type { StoredChange } from '../messages/fanout-scheduler.port';
import type { Db } from '../persistence/transaction.runner';

/** A notice to record: what happened, who did it, whom it concerns. */
export type NewNotice = { kind: TNoticeKind; actorId: string; userIds: readonly string[] };

type NoticeRow = Omit<TNotice, 'createdAt'> & { createdAt: Date };

/** Notices with their people as UserRefs (`users` in the order stored). */
const SELECT_NOTICE = Prisma.sql`
  SELECT n."id", n."conversationId", n."eventSeq", n."afterSeq", n."kind"::text AS "kind", n."createdAt",
         json_build_object('id', a."id", 'username', a."username", 'displayName', a."displayName") AS "actor",
         coalesce((SELECT json_agg(json_build_object('id', u."id", 'username', u."username", 'displayName', u."displayName") ORDER BY x.k)
                   FROM unnest(n."userIds") WITH ORDINALITY AS x(uid, k) JOIN "User" u ON u."id" = x.uid), '[]'::json) AS "users"
  FROM "MembershipNotice" n JOIN "User" a ON a."id" = n."actorId"`;

const toNotice = (row: NoticeRow): TNotice => ({
  id: row.id,
  conversationId: row.conversationId,
  eventSeq: Number(row.eventSeq),
  afterSeq: Number(row.afterSeq),
  kind: row.kind,
  actor: row.actor as TUserRef,
  users: row.users,
  createdAt: new Date(row.createdAt).toISOString(),
});

/**
 * Membership notices (see ZNotice): written in the transaction of the membership change they
 * tell of, read by history pages, `changes?after=` and fan-out.
 */
@Injectable()
export class NoticeRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Records a notice as the next change of the conversation's stream, in the caller's
   * transaction (which holds the conversation's row lock, as sends and changes do, so eventSeqs
   * commit in order): bumps lastEventSeq, stores the notice after the newest message, writes the
   * outbox row. Answers it as a change for fan-out, to the members as of now (membersVersion).
   */
  async record(tx: Db, conversationId: string, notice: NewNotice): Promise<StoredChange> {
    const [row] = await tx.$queryRaw<Array<{ id: string; membersVersion: number }>>(Prisma.sql`
      WITH bump AS (
        UPDATE "Conversation" c SET "lastEventSeq" = c."lastEventSeq" + 1 WHERE c."id" = ${conversationId}::uuid
        RETURNING c."lastEventSeq", c."lastSeq", c."membersVersion"
      ), ins AS (
        INSERT INTO "MembershipNotice" ("conversationId", "eventSeq", "afterSeq", "kind", "actorId", "userIds")
        SELECT ${conversationId}::uuid, bump."lastEventSeq", bump."lastSeq", ${notice.kind}::"NoticeKind", ${notice.actorId}::uuid, ${[...notice.userIds]}::uuid[]
        FROM bump RETURNING "id", "eventSeq"
      ), outbox AS (
        INSERT INTO "FanoutOutbox" ("conversationId", "eventSeq") SELECT ${conversationId}::uuid, "eventSeq" FROM ins
      )
      SELECT ins."id", bump."membersVersion" FROM ins, bump`);
    if (!row) throw new Error(`conversation ${conversationId} vanished while recording a notice`);
    const [stored] = await tx.$queryRaw<NoticeRow[]>(Prisma.sql`${SELECT_NOTICE} WHERE n."id" = ${row.id}::uuid`);
    return { kind: 'notice', notice: toNotice(stored), membersVersion: Number(row.membersVersion) };
  }

  /** The `created` notice: the stream's origin (eventSeq 0), never fanned out, shown by history. */
  async recordCreation(tx: Db, conversationId: string, notice: NewNotice): Promise<void> {
    await tx.$queryRaw(Prisma.sql`
      INSERT INTO "MembershipNotice" ("conversationId", "eventSeq", "afterSeq", "kind", "actorId", "userIds")
      VALUES (${conversationId}::uuid, 0, 0, ${notice.kind}::"NoticeKind", ${notice.actorId}::uuid, ${[...notice.userIds]}::uuid[])
      RETURNING "id"`);
  }

  /** Fan-out's read of a gap (on the pool): the notices with an eventSeq in (after, upto]. */
  async between(conversationId: string, after: number, upto: number): Promise<TNotice[]> {
    const rows = await this.prisma.rows<NoticeRow>(Prisma.sql`
      ${SELECT_NOTICE} WHERE n."conversationId" = ${conversationId}::uuid AND n."eventSeq" > ${after} AND n."eventSeq" <= ${upto}
      ORDER BY n."eventSeq" ASC`);
    return rows.map(toNotice);
  }

  /** `changes?after=`: the first `limit` notices after an eventSeq. The caller checked access. */
  async since(conversationId: string, after: number, limit: number): Promise<TNotice[]> {
    const rows = await this.prisma.rows<NoticeRow>(Prisma.sql`
      ${SELECT_NOTICE} WHERE n."conversationId" = ${conversationId}::uuid AND n."eventSeq" > ${after}
      ORDER BY n."eventSeq" ASC LIMIT ${limit}`);
    return rows.map(toNotice);
  }

  /**
   * A history page's notices: placed after a seq in [from, to] (`to` null: no upper end), the
   * newest `limit` of them, ascending by eventSeq. The caller checked access.
   */
  async placed(conversationId: string, from: number, to: number | null, limit: number): Promise<TNotice[]> {
    const rows = await this.prisma.rows<NoticeRow>(Prisma.sql`
      ${SELECT_NOTICE} WHERE n."conversationId" = ${conversationId}::uuid AND n."afterSeq" >= ${from}
        AND n."afterSeq" <= ${to ?? 2_147_483_647}
      ORDER BY n."eventSeq" DESC LIMIT ${limit}`);
    return rows.map(toNotice).reverse();
  }
}
