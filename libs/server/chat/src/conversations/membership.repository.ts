import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import type { TNotifyLevel, TRole } from '@chatbox/contracts';
import { USER_FIELDS_SELECT, UserFieldsRow } from '@chatbox/server-common';
import type { Db } from '../persistence/transaction.runner';

export type MemberRow = {
  userId: string;
  role: TRole;
  joinedAt: Date;
  user: UserFieldsRow;
};

@Injectable()
export class MembershipRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Who is in the conversation now: the recipients of anything that happens in it. */
  async memberIds(conversationId: string, db: Db = this.prisma): Promise<string[]> {
    const rows = await db.membership.findMany({ where: { conversationId }, select: { userId: true } });
    return rows.map((r) => r.userId);
  }

  /** The member list and the membersVersion naming it, or null when the conversation is gone. */
  async versionedMemberIds(conversationId: string): Promise<{ version: number; userIds: string[] } | null> {
    // fan-out's read: on the pool directly
    const rows = await this.prisma.rows<{ version: number; userIds: string[] }>(Prisma.sql`
      SELECT c."membersVersion" AS "version",
             coalesce(array_agg(m."userId"::text) FILTER (WHERE m."userId" IS NOT NULL), '{}') AS "userIds"
      FROM "Conversation" c LEFT JOIN "Membership" m ON m."conversationId" = c."id"
      WHERE c."id" = ${conversationId}::uuid
      GROUP BY c."id"`);
    return rows[0] ? { version: Number(rows[0].version), userIds: rows[0].userIds } : null;
  }

  async roleOf(conversationId: string, userId: string, db: Db = this.prisma): Promise<TRole | null> {
    const row = await db.membership.findUnique({
      where: { conversationId_userId: { conversationId, userId } },
      select: { role: true },
    });
    return row?.role ?? null;
  }

  /**
   * Inserts the memberships that do not exist yet; returns the users actually added. A member
   * starts with the history read (readSeq = the conversation's lastSeq when they join): they can
   * scroll it, but only what arrives after they joined counts as unread. The group operations
   * hold the conversation's row lock, so no message slips between the read and the insert.
   */
  async add(tx: Db, conversationId: string, members: ReadonlyArray<{ userId: string; role: TRole }>): Promise<string[]> {
    if (members.length === 0) return [];
    const rows = await tx.$queryRaw<Array<{ userId: string }>>(Prisma.sql`
      INSERT INTO "Membership" ("conversationId", "userId", "role", "readSeq")
      SELECT c."id", t."userId", t."role"::"MemberRole", c."lastSeq"
      FROM unnest(${members.map((m) => m.userId)}::uuid[], ${members.map((m) => m.role)}::text[]) AS t("userId", "role")
      JOIN "Conversation" c ON c."id" = ${conversationId}::uuid
      ON CONFLICT DO NOTHING
      RETURNING "userId"::text AS "userId"`);
    return rows.map((r) => r.userId);
  }

  async remove(tx: Db, conversationId: string, userId: string): Promise<boolean> {
    const { count } = await tx.membership.deleteMany({ where: { conversationId, userId } });
    return count === 1;
  }

  /** The member who joined first (ties, as among a group's initial members, broken by id). */
  async longestStanding(tx: Db, conversationId: string): Promise<string | null> {
    const row = await tx.membership.findFirst({
      where: { conversationId },
      orderBy: [{ joinedAt: 'asc' }, { userId: 'asc' }],
      select: { userId: true },
    });
    return row?.userId ?? null;
  }

  async setRole(tx: Db, conversationId: string, userId: string, role: TRole): Promise<void> {
    await tx.membership.update({ where: { conversationId_userId: { conversationId, userId } }, data: { role } });
  }

  /** The member's notification level (a member who left meanwhile: nothing happens). */
  async setNotify(conversationId: string, userId: string, notify: TNotifyLevel): Promise<void> {
    await this.prisma.membership.updateMany({ where: { conversationId, userId }, data: { notify } });
  }

  /** One page of members in joining order, after the (joinedAt, userId) key when given. */
  async page(conversationId: string, after: { joinedAt: Date; userId: string } | undefined, limit: number): Promise<MemberRow[]> {
    return this.prisma.membership.findMany({
      where: {
        conversationId,
        ...(after && {
          OR: [{ joinedAt: { gt: after.joinedAt } }, { joinedAt: after.joinedAt, userId: { gt: after.userId } }],
        }),
      },
      orderBy: [{ joinedAt: 'asc' }, { userId: 'asc' }],
      take: limit,
      select: { userId: true, role: true, joinedAt: true, user: { select: USER_FIELDS_SELECT } },
    });
  }
}
