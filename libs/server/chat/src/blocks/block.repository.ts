import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import { USER_FIELDS_SELECT, UserFieldsRow } from '@chatbox/server-common';

/** One block, as stored: `blockerId` blocked `blockedId`. */
export type BlockRow = { blockerId: string; blockedId: string };

/**
 * The blocks between the two people of a direct conversation, either way; none for any other
 * kind (groups are not affected). The pair comes from the conversation's own row (directKey is
 * "<id>:<id>"), so the statement looks up one conversation and at most four block keys, never a
 * member list (the send of a user who blocked someone into `all` must not read all members).
 * `conversationId` is an SQL expression (a parameter or a column), so the send batch applies the
 * very same rule per message inside its statement.
 */
export const directBlocksSql = (conversationId: Prisma.Sql): Prisma.Sql => Prisma.sql`
  SELECT ub."blockerId", ub."blockedId" FROM "Conversation" dc
  JOIN "UserBlock" ub ON ub."blockerId" = ANY(string_to_array(dc."directKey", ':')::uuid[])
                     AND ub."blockedId" = ANY(string_to_array(dc."directKey", ':')::uuid[])
  WHERE dc."id" = ${conversationId} AND dc."kind" = 'direct'`;

@Injectable()
export class BlockRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Stores the block unless it exists (blocking twice changes nothing). */
  async block(blockerId: string, blockedId: string): Promise<void> {
    await this.prisma.userBlock.createMany({ data: [{ blockerId, blockedId }], skipDuplicates: true });
  }

  async unblock(blockerId: string, blockedId: string): Promise<void> {
    await this.prisma.userBlock.deleteMany({ where: { blockerId, blockedId } });
  }

  async countBy(blockerId: string): Promise<number> {
    return this.prisma.userBlock.count({ where: { blockerId } });
  }

  /** The users `blockerId` blocked, the most recent first. */
  async blockedBy(blockerId: string): Promise<UserFieldsRow[]> {
    const rows = await this.prisma.userBlock.findMany({
      where: { blockerId },
      orderBy: [{ createdAt: 'desc' }, { blockedId: 'asc' }],
      select: { blocked: { select: USER_FIELDS_SELECT } },
    });
    return rows.map((r) => r.blocked);
  }

  /** The blocks between `userId` and any of `otherIds`, in either direction. */
  async between(userId: string, otherIds: readonly string[]): Promise<BlockRow[]> {
    if (otherIds.length === 0) return [];
    return this.prisma.rows<BlockRow>(Prisma.sql`
      SELECT "blockerId", "blockedId" FROM "UserBlock"
      WHERE ("blockerId" = ${userId}::uuid AND "blockedId" = ANY(${otherIds}::uuid[]))
         OR ("blockedId" = ${userId}::uuid AND "blockerId" = ANY(${otherIds}::uuid[]))`);
  }

  /** The blocks between the two people of this direct conversation (see directBlocksSql). */
  directBlocks(conversationId: string): Promise<BlockRow[]> {
    return this.prisma.rows<BlockRow>(directBlocksSql(Prisma.sql`${conversationId}::uuid`));
  }
}
