import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import type { TConversationKind, TRole, TVisibility } from '@chatbox/contracts';

export type ConversationWithCaller = {
  id: string;
  kind: TConversationKind;
  visibility: TVisibility | null;
  archived: boolean;
  /** An ephemeral group (its policy: policyOf(kind, ephemeral)). */
  ephemeral: boolean;
  /** Bumped by every membership change: names the member list (MemberListCache) as of this read. */
  membersVersion: number;
  /** The caller's membership, or null when the caller is not a member. */
  membership: { role: TRole; readSeq: number } | null;
};

type CallerAccessRow = {
  kind: TConversationKind;
  visibility: TVisibility | null;
  archived: boolean;
  ephemeral: boolean;
  membersVersion: number;
  role: TRole | null;
  readSeq: number | null;
};

/**
 * A condition true exactly when the caller may read the conversation as a member (a member of a
 * conversation that is not archived: what ConversationAccess.requireMember lets through), for
 * queries that read member-only data and check access in the same statement.
 */
export const callerIsMemberSql = (conversationId: string, userId: string): Prisma.Sql => Prisma.sql`
  EXISTS (SELECT 1 FROM "Membership" mb JOIN "Conversation" c ON c."id" = mb."conversationId"
          WHERE mb."conversationId" = ${conversationId}::uuid AND mb."userId" = ${userId}::uuid AND c."archivedAt" IS NULL)`;

@Injectable()
export class AccessRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** One query: the conversation and the caller's membership of it. Both ids must be uuids. */
  async findWithCaller(conversationId: string, userId: string): Promise<ConversationWithCaller | null> {
    const [row] = await this.prisma.rows<CallerAccessRow>(Prisma.sql`
      SELECT c."kind"::text AS "kind", c."visibility"::text AS "visibility", c."archivedAt" IS NOT NULL AS "archived",
             c."ephemeral", c."membersVersion", mb."role"::text AS "role", mb."readSeq" AS "readSeq"
      FROM "Conversation" c
      LEFT JOIN "Membership" mb ON mb."conversationId" = c."id" AND mb."userId" = ${userId}::uuid
      WHERE c."id" = ${conversationId}::uuid`);
    if (!row) return null;
    return {
      id: conversationId,
      kind: row.kind,
      visibility: row.visibility,
      archived: row.archived,
      ephemeral: row.ephemeral,
      membersVersion: Number(row.membersVersion),
      membership: row.role === null ? null : { role: row.role, readSeq: Number(row.readSeq ?? 0) },
    };
  }
}
