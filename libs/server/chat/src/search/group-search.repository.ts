import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import type { TRole, TVisibility } from '@chatbox/contracts';
import { foldKey } from '@chatbox/server-common';
import { escapeLike } from './like-pattern';

export type GroupSearchRow = {
  id: string;
  name: string;
  visibility: TVisibility;
  role: TRole | null;
  memberCount: number;
  phase: number;
  nameKey: string;
};

export type GroupSearchKey = { phase: number; nameKey: string; id: string };

@Injectable()
export class GroupSearchRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Live groups whose name contains q, that the caller may know of: public ones and the caller's
   * own. Someone else's private group never appears. Prefix matches first, then by name.
   */
  search(userId: string, q: string, after: GroupSearchKey | undefined, limit: number): Promise<GroupSearchRow[]> {
    const escaped = escapeLike(foldKey(q));
    const prefix = `${escaped}%`;
    const contains = `%${escaped}%`;
    const afterClause = after
      ? Prisma.sql`AND (CASE WHEN lower(c.name) LIKE ${prefix} THEN 0 ELSE 1 END, lower(c.name), c.id)
                   > (${after.phase}::int, ${after.nameKey}::text, ${after.id}::uuid)`
      : Prisma.empty;
    return this.prisma.$queryRaw<GroupSearchRow[]>`
      SELECT c.id, c.name, c.visibility::text AS visibility, m.role::text AS role,
             c."memberCount",
             CASE WHEN lower(c.name) LIKE ${prefix} THEN 0 ELSE 1 END AS phase,
             lower(c.name) AS "nameKey"
      FROM "Conversation" c
      LEFT JOIN "Membership" m ON m."conversationId" = c.id AND m."userId" = ${userId}::uuid
      WHERE c.kind = 'group' AND c."archivedAt" IS NULL
        AND (c.visibility = 'public' OR m."userId" IS NOT NULL)
        AND lower(c.name) LIKE ${contains}
        ${afterClause}
      ORDER BY phase, lower(c.name), c.id
      LIMIT ${limit}`;
  }
}
