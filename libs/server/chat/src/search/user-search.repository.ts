import { Injectable } from '@nestjs/common';
import { PrismaService } from '@chatbox/server-db';
import { escapeLike, searchKey } from './like-pattern';

export type UserSummaryRow = { id: string; username: string; displayName: string; usernameKey: string };

/** Prefix matches (phase 0) come before other substring matches (phase 1). */
export type UserSearchPhase = 0 | 1;

@Injectable()
export class UserSearchRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Users whose usernameKey or lower(displayName) matches q in the given phase, ordered by
   * usernameKey after `after`. Each phase is one query the trigram GIN indexes serve (selective
   * q) or an ordered walk of the usernameKey index that stops at `limit` (common q).
   */
  search(q: string, phase: UserSearchPhase, after: string | undefined, limit: number): Promise<UserSummaryRow[]> {
    const escaped = escapeLike(searchKey(q));
    const prefix = `${escaped}%`;
    const contains = `%${escaped}%`;
    const afterKey = after ?? '';
    if (phase === 0) {
      return this.prisma.$queryRaw<UserSummaryRow[]>`
        SELECT id, username, "displayName", "usernameKey" FROM "User"
        WHERE ("usernameKey" LIKE ${prefix} OR lower("displayName") LIKE ${prefix})
          AND "usernameKey" > ${afterKey}
        ORDER BY "usernameKey" LIMIT ${limit}`;
    }
    return this.prisma.$queryRaw<UserSummaryRow[]>`
      SELECT id, username, "displayName", "usernameKey" FROM "User"
      WHERE ("usernameKey" LIKE ${contains} OR lower("displayName") LIKE ${contains})
        AND NOT ("usernameKey" LIKE ${prefix} OR lower("displayName") LIKE ${prefix})
        AND "usernameKey" > ${afterKey}
      ORDER BY "usernameKey" LIMIT ${limit}`;
  }

  byIds(ids: readonly string[]): Promise<Array<Omit<UserSummaryRow, 'usernameKey'>>> {
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
