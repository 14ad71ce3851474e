import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import { foldKey, USER_FIELDS_SELECT, UserFieldsRow } from '@chatbox/server-common';
import { escapeLike, prefixUpperBound } from './like-pattern';

export type UserSummaryRow = UserFieldsRow;
export type UserSearchRow = UserSummaryRow & { phase: UserSearchPhase };

/** Who is found: people search leaves deactivated users out, the admins' list has everyone. */
export type UserSearchScope = 'active' | 'everyone';

/** Where a page starts: a phase, and within it the last id already shown. */
export type UserSearchStart = { phase: UserSearchPhase; afterId?: string };

/** The exact username (phase 0), then prefix matches (1), then other substring matches (2). */
export type UserSearchPhase = 0 | 1 | 2;
export const USER_SEARCH_PHASES: readonly UserSearchPhase[] = [0, 1, 2];

@Injectable()
export class UserSearchRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Up to `limit` users matching q from `start` on, in (phase, id) order: see userSearchSql. */
  async search(q: string, start: UserSearchStart, limit: number, scope: UserSearchScope = 'active'): Promise<UserSearchRow[]> {
    const rows = await this.prisma.$queryRaw<UserSearchRow[]>(userSearchSql(q, start, limit, scope));
    return rows.sort((a, b) => a.phase - b.phase || (a.id < b.id ? -1 : 1));
  }

  byIds(ids: readonly string[]): Promise<UserSummaryRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.prisma.user.findMany({
      where: { id: { in: [...ids] } },
      select: USER_FIELDS_SELECT,
      orderBy: { id: 'asc' },
    });
  }

  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.prisma.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true } });
    return new Set(rows.map((r) => r.id));
  }
}

/** At most this many matches (past the cursor) are simply gathered through an index and sorted. */
export const FEW_MATCHES = 200;

/**
 * With more matches, the phase walks this many users per requested row along the primary key,
 * testing each (ids are random, so matches are spread evenly): a phase in which at least 1 in
 * WINDOW_FACTOR users matches fills the page there, after about limit / density users.
 */
export const WINDOW_FACTOR = 50;

/**
 * Past a window that did not fill the page: up to this many matches are gathered and sorted;
 * above it, walking on along the primary key finds the rest within about limit / density users.
 */
export const DENSE_MATCHES = 2000;

/**
 * A user search as one SQL statement (exported so the benchmark can EXPLAIN the real query).
 * Phases are branches of a UNION ALL; the outer LIMIT stops as soon as earlier branches filled
 * the page, and a branch that is not reached is never run. Within a phase rows come in id order,
 * found so that no planner misestimate can turn into a walk over the whole table or a sort of
 * every match. The matches past the cursor are gathered without order through an index (`m`,
 * at most DENSE_MATCHES + 1, read only as far as a branch needs), then:
 *  1. at most FEW_MATCHES of them: sorted, done (exact names, rare substrings, no match);
 *  2. else the window: the next limit * WINDOW_FACTOR users by id, tested one by one through a
 *     covering index, stopping when the page is full (most 1-3 character queries end here);
 *  3. past the window, at most DENSE_MATCHES matches: sorted;
 *  4. more: the walk goes on along the primary key from the window's end.
 * The cursor names the phase and the last id shown, so a next page starts in its phase.
 */
export function userSearchSql(q: string, start: UserSearchStart, limit: number, scope: UserSearchScope = 'active'): Prisma.Sql {
  const phaseCondition = (phase: UserSearchPhase, access: PhaseAccess) => matchCondition(q, phase, access, scope);
  const phases = USER_SEARCH_PHASES.filter((p) => p >= start.phase);
  const after = (phase: UserSearchPhase) =>
    phase === start.phase && start.afterId ? Prisma.sql`AND id > ${start.afterId}::uuid` : Prisma.empty;
  const window = limit * WINDOW_FACTOR;
  const ctes: Prisma.Sql[] = [];
  const branches: Prisma.Sql[] = [];
  for (const p of phases) {
    if (p === 0) {
      branches.push(Prisma.sql`(SELECT 0 AS phase, ${COLUMNS} FROM "User" WHERE ${phaseCondition(0, 'gather')} ${after(0)})`);
      continue;
    }
    const phase = Prisma.sql`${p}::int AS phase`;
    const walk = phaseCondition(p, 'walk');
    const m = Prisma.raw(`m${p}`);
    // the window's last id; NULL when the table ends inside the window, leaving nothing past it
    const windowEnd = Prisma.raw(`end${p}`);
    const few = Prisma.sql`(SELECT count(*) FROM (SELECT FROM ${m} LIMIT ${FEW_MATCHES + 1}) f) <= ${FEW_MATCHES}`;
    const pastWindow = Prisma.sql`id > (SELECT id FROM ${windowEnd})`;
    ctes.push(
      // Past the cursor, not past the window: an id bound unknown to the planner could lure it
      // into a bitmap of most of the primary key. Branch 3 leaves out the matches in the window.
      Prisma.sql`${m} AS MATERIALIZED (
        SELECT ${COLUMNS} FROM "User" WHERE ${phaseCondition(p, 'gather')} ${after(p)} LIMIT ${DENSE_MATCHES + 1})`,
      Prisma.sql`${windowEnd} AS MATERIALIZED (
        SELECT id FROM "User" WHERE true ${after(p)} ORDER BY id OFFSET ${window - 1} LIMIT 1)`,
    );
    branches.push(
      Prisma.sql`(SELECT ${phase}, ${COLUMNS} FROM ${m} WHERE ${few} ORDER BY id LIMIT ${limit})`,
      Prisma.sql`(SELECT ${phase}, ${COLUMNS} FROM (
          SELECT ${COLUMNS}, "usernameKey" FROM "User" WHERE true ${after(p)} ORDER BY id LIMIT ${window}
        ) w WHERE NOT ${few} AND ${walk} ORDER BY id LIMIT ${limit})`,
      Prisma.sql`(SELECT ${phase}, ${COLUMNS} FROM ${m}
        WHERE NOT ${few} AND (SELECT id FROM ${windowEnd}) IS NOT NULL AND (SELECT count(*) FROM ${m}) <= ${DENSE_MATCHES}
          AND ${pastWindow}
        ORDER BY id LIMIT ${limit})`,
      Prisma.sql`(SELECT ${phase}, ${COLUMNS} FROM "User"
        WHERE (SELECT count(*) FROM ${m}) > ${DENSE_MATCHES} AND ${walk} AND ${pastWindow}
        ORDER BY id LIMIT ${limit})`,
    );
  }
  const withClause = ctes.length ? Prisma.sql`WITH ${Prisma.join(ctes, ', ')}` : Prisma.empty;
  return Prisma.sql`${withClause} SELECT phase, id, username, "displayName", role::text AS role, "deactivatedAt"
    FROM (${Prisma.join(branches, ' UNION ALL ')}) found LIMIT ${limit}`;
}

/**
 * How a phase's rows are read. `gather` collects matches in no order, so its test is written for
 * the indexes. `walk` tests rows one by one along the primary key, so its test is cheap per row
 * and indexable by nothing: a planner that underestimated the matches (as it does for trigram
 * LIKEs) could otherwise trade the walk for a bitmap of every match plus a sort.
 */
type PhaseAccess = 'gather' | 'walk';

/** Trigrams need three characters; shorter substrings are found through innerGrams. */
const TRIGRAM = 3;

const USERNAME = Prisma.sql`"usernameKey"`;
/** What every branch reads (all of it in the covering index User_id_names_idx). */
const COLUMNS = Prisma.sql`id, username, "displayName", role, "deactivatedAt"`;
/** Deactivated users are hidden from search (API.md "Accounts and administration"). */
const ACTIVE = Prisma.sql`"deactivatedAt" IS NULL`;
const DISPLAY_NAME = Prisma.sql`lower("displayName")`;

function matchCondition(q: string, phase: UserSearchPhase, access: PhaseAccess, scope: UserSearchScope): Prisma.Sql {
  const key = foldKey(q);
  const found = scope === 'active' ? ACTIVE : Prisma.sql`true`;
  if (phase === 0) return Prisma.sql`${USERNAME} = ${key} AND ${found}`;
  const isPrefix = prefixCondition(key, access);
  if (phase === 1) return Prisma.sql`${isPrefix} AND ${USERNAME} <> ${key} AND ${found}`;
  return Prisma.sql`${containsCondition(key, access)} AND NOT ${isPrefix} AND ${found}`;
}

/** The username or the display name (both case-folded) starts with key. */
function prefixCondition(key: string, access: PhaseAccess): Prisma.Sql {
  if (access === 'walk') {
    return Prisma.sql`(strpos(${USERNAME}, ${key}) = 1 OR strpos(${DISPLAY_NAME}, ${key}) = 1)`;
  }
  // Byte ranges, which only the text_pattern_ops btree indexes serve (LIKE 'q%' lets the planner
  // pick the trigram indexes, which for a short q means a bitmap of most of the table).
  const upper = prefixUpperBound(key);
  const startsWith = (col: Prisma.Sql) =>
    upper === undefined ? Prisma.sql`${col} ~>=~ ${key}` : Prisma.sql`(${col} ~>=~ ${key} AND ${col} ~<~ ${upper})`;
  return Prisma.sql`(${startsWith(USERNAME)} OR ${startsWith(DISPLAY_NAME)})`;
}

/**
 * key is a substring of the username or the display name (both case-folded). Phase 2 only asks
 * this of names that do not start with key, so the gather form looks only past the first
 * character: "anna" then skips every user merely named Anna, which is most of the users holding it.
 */
function containsCondition(key: string, access: PhaseAccess): Prisma.Sql {
  if (access === 'walk') {
    return Prisma.sql`(strpos(${USERNAME}, ${key}) > 0 OR strpos(${DISPLAY_NAME}, ${key}) > 0)`;
  }
  // Code points, as PostgreSQL counts characters (an emoji is one, not two UTF-16 units).
  const chars = [...key];
  // innerGrams holds every 1- and 2-character substring of both names but their first (see its
  // migration): for such a key this test is exact, and its GIN index serves it.
  if (chars.length < TRIGRAM) return Prisma.sql`"innerGrams" @> ARRAY[${key}]::text[]`;
  if (TRIGRAM_WORD.test(key)) {
    const pattern = `%${escapeLike(key)}%`;
    return Prisma.sql`(substr(${USERNAME}, 2) LIKE ${pattern} OR substr(${DISPLAY_NAME}, 2) LIKE ${pattern})`;
  }
  // pg_trgm takes its trigrams from runs of letters and digits: for "a.b" or "_-_" it would scan
  // its whole index. Every pair of neighbouring characters of key is an inner gram of a match.
  const pairs = [...new Set(chars.slice(1).map((c, i) => chars[i] + c))];
  return Prisma.sql`"innerGrams" @> ARRAY[${Prisma.join(pairs)}]::text[]
    AND (strpos(substr(${USERNAME}, 2), ${key}) > 0 OR strpos(substr(${DISPLAY_NAME}, 2), ${key}) > 0)`;
}

/** Three letters or digits in a row: a key pg_trgm can look up by its trigrams. */
const TRIGRAM_WORD = /[\p{L}\p{N}]{3}/u;
