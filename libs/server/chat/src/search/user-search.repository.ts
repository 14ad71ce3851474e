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
 * Above this many matches (after the cursor) a phase counts as dense: walking the primary key
 * finds a page within about limit / density rows (ids are random, so matches are spread evenly).
 * Below it, all matches are collected through the prefix/trigram indexes and sorted.
 */
export const DENSE_MATCHES = 2000;

/**
 * A user search as one SQL statement (exported so the benchmark can EXPLAIN the real query).
 * Phases are branches of a UNION ALL; the outer LIMIT stops as soon as earlier phases filled
 * the page. Within a phase rows come in id order, found one of two ways so that a planner's
 * misestimate cannot turn into a walk over the whole table: the matches are gathered without
 * order (bitmap or early-stopping scan, at most DENSE_MATCHES + 1); if there are no more than
 * DENSE_MATCHES they are sorted, otherwise the dense branch walks the primary key in order.
 */
export function userSearchSql(q: string, start: UserSearchStart, limit: number): Prisma.Sql {
  const phases = USER_SEARCH_PHASES.filter((p) => p >= start.phase);
  const after = (phase: UserSearchPhase) =>
    phase === start.phase && start.afterId ? Prisma.sql`AND id > ${start.afterId}::uuid` : Prisma.empty;
  const gathered = phases
    .filter((p) => p > 0)
    .map((p) => Prisma.sql`m${Prisma.raw(String(p))} AS MATERIALIZED (
      SELECT id, username, "displayName" FROM "User" WHERE ${phaseCondition(q, p)} ${after(p)} LIMIT ${DENSE_MATCHES + 1})`);
  const branches = phases.flatMap((p) => {
    if (p === 0) {
      return [Prisma.sql`(SELECT 0 AS phase, id, username, "displayName" FROM "User" WHERE ${phaseCondition(q, 0)} ${after(0)})`];
    }
    const cte = Prisma.raw(`m${p}`);
    return [
      Prisma.sql`(SELECT ${p}::int AS phase, id, username, "displayName" FROM ${cte}
        WHERE (SELECT count(*) FROM ${cte}) <= ${DENSE_MATCHES} ORDER BY id LIMIT ${limit})`,
      Prisma.sql`(SELECT ${p}::int AS phase, id, username, "displayName" FROM "User"
        WHERE (SELECT count(*) FROM ${cte}) > ${DENSE_MATCHES} AND ${phaseCondition(q, p)} ${after(p)}
        ORDER BY id LIMIT ${limit})`,
    ];
  });
  const withClause = gathered.length ? Prisma.sql`WITH ${Prisma.join(gathered, ', ')}` : Prisma.empty;
  return Prisma.sql`${withClause} SELECT * FROM (${Prisma.join(branches, ' UNION ALL ')}) found LIMIT ${limit}`;
}

/** Trigrams need three characters; a shorter q matches so many users that scanning is cheaper. */
const TRIGRAM = 3;

function phaseCondition(q: string, phase: UserSearchPhase): Prisma.Sql {
  const key = searchKey(q);
  if (phase === 0) return Prisma.sql`"usernameKey" = ${key}`;
  // Prefixes as byte ranges, which only the text_pattern_ops btree indexes serve (LIKE 'q%' lets
  // the planner pick the trigram indexes, which for a short q means a bitmap of most of the
  // table). For substrings shorter than a trigram, strpos() keeps the planner off the GIN indexes
  // for the same reason: a scan stops after DENSE_MATCHES + 1 hits.
  const short = key.length < TRIGRAM;
  const escaped = escapeLike(key);
  const upper = `${key}\u{10FFFF}`; // above every string that starts with key (bytewise)
  const startsWith = (col: Prisma.Sql) => Prisma.sql`(${col} ~>=~ ${key} AND ${col} ~<~ ${upper})`;
  const contains = (col: Prisma.Sql) => (short ? Prisma.sql`strpos(${col}, ${key}) > 0` : Prisma.sql`${col} LIKE ${`%${escaped}%`}`);
  const username = Prisma.sql`"usernameKey"`;
  const displayName = Prisma.sql`lower("displayName")`;
  const isPrefix = Prisma.sql`(${startsWith(username)} OR ${startsWith(displayName)})`;
  if (phase === 1) return Prisma.sql`${isPrefix} AND "usernameKey" <> ${key}`;
  return Prisma.sql`(${contains(username)} OR ${contains(displayName)}) AND NOT ${isPrefix}`;
}
