import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import { escapeLike, searchKey } from './like-pattern';

export type UserSummaryRow = { id: string; username: string; displayName: string };
export type UserSearchRow = UserSummaryRow & { phase: UserSearchPhase };

/** Where a page starts: a phase, and within it the last id already shown. */
export type UserSearchStart = { phase: UserSearchPhase; afterId?: string };

/** The exact username (phase 0), then prefix matches (1), then other substring matches (2). */
export type UserSearchPhase = 0 | 1 | 2;
export const USER_SEARCH_PHASES: readonly UserSearchPhase[] = [0, 1, 2];

@Injectable()
export class UserSearchRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Up to `limit` users matching q from `start` on, in (phase, id) order: see userSearchSql. */
  async search(q: string, start: UserSearchStart, limit: number): Promise<UserSearchRow[]> {
    const rows = await this.prisma.$queryRaw<UserSearchRow[]>(userSearchSql(q, start, limit));
    return rows.sort((a, b) => a.phase - b.phase || (a.id < b.id ? -1 : 1));
  }

  byIds(ids: readonly string[]): Promise<UserSummaryRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.prisma.user.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, username: true, displayName: true },
      orderBy: { id: 'asc' },
    });
  }

  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.prisma.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true } });
    return new Set(rows.map((r) => r.id));
  }
}

/**
 * A user search as one SQL statement (exported so the benchmark can EXPLAIN the real query).
 * Each phase is a branch of a UNION ALL with its own LIMIT; the outer LIMIT stops the Append
 * as soon as the earlier phases filled the page, so later phases usually never run.
 * Within a phase rows come in id order: ids are random, so matches are spread evenly along the
 * primary key and walking it stops after about limit/density rows for a common q, while a rare q
 * goes through the prefix (text_pattern_ops) or trigram indexes. Ordering by name instead lets
 * the planner walk the name index through everything before the first match ("z%", "anna").
 */
export function userSearchSql(q: string, start: UserSearchStart, limit: number): Prisma.Sql {
  const branches = USER_SEARCH_PHASES.filter((p) => p >= start.phase).map((phase) => {
    const after = phase === start.phase && start.afterId ? Prisma.sql`AND id > ${start.afterId}::uuid` : Prisma.empty;
    return Prisma.sql`(SELECT ${phase}::int AS phase, id, username, "displayName" FROM "User"
      WHERE ${phaseCondition(q, phase)} ${after} ORDER BY id LIMIT ${limit})`;
  });
  return Prisma.sql`SELECT * FROM (${Prisma.join(branches, ' UNION ALL ')}) found LIMIT ${limit}`;
}

function phaseCondition(q: string, phase: UserSearchPhase): Prisma.Sql {
  const key = searchKey(q);
  const escaped = escapeLike(key);
  const prefix = `${escaped}%`;
  const isPrefix = Prisma.sql`("usernameKey" LIKE ${prefix} OR lower("displayName") LIKE ${prefix})`;
  switch (phase) {
    case 0:
      return Prisma.sql`"usernameKey" = ${key}`;
    case 1:
      return Prisma.sql`${isPrefix} AND "usernameKey" <> ${key}`;
    case 2: {
      const contains = `%${escaped}%`;
      return Prisma.sql`("usernameKey" LIKE ${contains} OR lower("displayName") LIKE ${contains}) AND NOT ${isPrefix}`;
    }
  }
}
