import { unlimitedRateLimits } from './stack/bench-stack';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { messageSearchSql, parseSearchTerms } from '@chatbox/server-chat';
import { ApiClient } from '@chatbox/server-testing';
import { databaseUrlFor, dropDatabase, ensureServices, freePort, launchApi, migrate, MIGRATIONS_DIR, recreateDatabase, stopProcess, waitForHttp } from '@chatbox/tools';
import { summarize } from './lib/stats';

/**
 * GET /api/search/messages over 1,000,000 seeded messages in 1,000 conversations, as a user who
 * is in 50 of them, through the real api process over HTTP: p50/p99/max (ms) per kind of query,
 * the same statements on PostgreSQL alone, their plans, the index's size, and what the index
 * costs a send (the same sends timed with and without it). Own database (dropped at the end
 * unless --keep), own Redis prefix.
 */
const DATABASE = `${process.env.CHATBOX_BENCH_DB ?? 'chatbox_bench'}_messages_search`;
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const CONVERSATIONS = 1000;
const MINE = 50;
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 40);
const SENDS = Number(process.env.BENCH_SENDS ?? 2000);
const keep = process.argv.includes('--keep');
/**
 * --seed-only: seed the database and keep it, nothing timed (the seeding needs no bench lock);
 * --reuse: time against the database a --seed-only or --keep run left, seeding only when there
 * is none (it is kept); --no-sends: skip the send comparison, which adds rows and rewrites the
 * table (the database stays as seeded for the next --reuse).
 */
const seedOnly = process.argv.includes('--seed-only');
const reuse = process.argv.includes('--reuse');
const sends = !process.argv.includes('--no-sends');
/** --no-user-in-1000: leave out the EXPLAINs for the user in every conversation (minutes under load; the bench lock is held). */
const userInAll = !process.argv.includes('--no-user-in-1000');
/** The bench user (in MINE conversations), registered through the api; a --reuse run logs in as them. */
const SEARCHER = { username: 'searcher', password: 'correct horse battery' };
/** The search index (migration *_message_search_prefixes), which that migration's file recreates with its column. */
const INDEX = '"Message_conversationId_searchVector_idx"';
/** The migrations that made the column and index as they are, run again after the bench drops them. */
const INDEX_MIGRATIONS = ['20261207050000_message_search_prefixes', '20261208060000_message_search_steady_index'];

/** Each is about 1 in 50 words of a message: in ~17% of messages. */
const COMMON = ['the', 'and', 'deploy', 'meeting', 'lunch', 'review', 'server', 'release', 'coffee', 'please', 'thanks',
  'today', 'tomorrow', 'build', 'error', 'ticket', 'customer', 'report', 'design', 'budget'];
/** 1 in 50 words is one of these: accents, Cyrillic, Greek. */
const WORLD = ['café', 'Привет', 'καλημέρα', 'naïve', 'Straße', 'ёлка', 'Crème'];
/** The other words are w1..w100000, log-uniformly: w1 is common, w50000 and above are rare. */
const TAIL = 100_000;

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** Users, conversations of 20 members, the bench user in the first MINE, then the messages in time order. */
async function seed(db: Client, benchUserId: string): Promise<void> {
  let started = performance.now();
  await db.query(`INSERT INTO "User" (id, username, "usernameKey", "displayName", "passwordHash")
    SELECT gen_random_uuid(), 'seed' || i, 'seed' || i, 'Seed ' || i, 'x' FROM generate_series(1, 2000) i`);
  await db.query(`INSERT INTO "Conversation" (id, kind, name, visibility, "lastSeq", "lastEventSeq")
    SELECT gen_random_uuid(), 'group', 'bench group ' || lpad(i::text, 4, '0'), 'public', $1::int, $1::int
    FROM generate_series(0, $2::int - 1) i`, [Math.ceil(MESSAGES / CONVERSATIONS), CONVERSATIONS]);
  await db.query(`CREATE TEMP TABLE c AS SELECT id, row_number() OVER (ORDER BY name) - 1 AS n FROM "Conversation" WHERE kind = 'group'`);
  await db.query(`CREATE TEMP TABLE u AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM "User" WHERE username LIKE 'seed%'`);
  await db.query(`INSERT INTO "Membership" ("conversationId", "userId")
    SELECT DISTINCT c.id, u.id FROM c, generate_series(0, 19) k, u WHERE u.n = (c.n * 20 + k) % 2000
    UNION SELECT c.id, $1::uuid FROM c WHERE c.n < $2::int`, [benchUserId, MINE]);
  await db.query(`CREATE TEMP TABLE cm AS SELECT c.n, c.id, array_agg(m."userId") AS members
    FROM c JOIN "Membership" m ON m."conversationId" = c.id GROUP BY c.n, c.id`);
  // Built after the rows (as CREATE INDEX on an existing table is): its time is reported.
  await db.query(`DROP INDEX ${INDEX}`);
  // Row i goes to conversation i % 1000: rows interleave in time as real traffic does, so a
  // user's matches are spread over the whole table. 4-15 words each.
  await db.query(`INSERT INTO "Message" (id, "conversationId", seq, "senderId", body, "clientMsgId", "createdAt", "eventSeq", "createdEventSeq")
    SELECT gen_random_uuid(), cm.id, i / $2::int + 1, cm.members[1 + i % cardinality(cm.members)],
      (SELECT string_agg(CASE WHEN r < 0.4 THEN ($3::text[])[1 + floor(r / 0.4 * cardinality($3::text[]))::int]
                              WHEN r < 0.42 THEN ($4::text[])[1 + floor((r - 0.4) / 0.02 * cardinality($4::text[]))::int]
                              ELSE 'w' || floor(exp(random() * ln($5::int)))::int END, ' ')
       FROM (SELECT random() AS r, i AS per_row FROM generate_series(1, 4 + i % 12)) words),
      'seed-' || i, now() - make_interval(secs => $1::int - i), i / $2::int + 1, i / $2::int + 1
    FROM generate_series(0, $1::int - 1) i JOIN cm ON cm.n = i % $2::int`, [MESSAGES, CONVERSATIONS, COMMON, WORLD, TAIL]);
  // the EXPLAINs' user who may read everything (a member of no conversation while they were written)
  await db.query(`INSERT INTO "User" (id, username, "usernameKey", "displayName", "passwordHash") VALUES (gen_random_uuid(), 'seedall', 'seedall', 'Seed all', 'x')`);
  await db.query(`INSERT INTO "Membership" ("conversationId", "userId") SELECT c.id, u.id FROM c, "User" u WHERE u.username = 'seedall'`);
  console.log(`[bench] seeded ${MESSAGES} messages in ${CONVERSATIONS} conversations in ${Math.round(performance.now() - started)} ms; load average ${load()}`);
  started = performance.now();
  // as the migrations leave it (*_message_search_steady_index: no pending list)
  await db.query(`CREATE INDEX ${INDEX} ON "Message" USING GIN ("conversationId", "searchVector") WITH (fastupdate = off)`);
  console.log(`[bench] search index built in ${Math.round(performance.now() - started)} ms`);
  // steady state: statistics fresh and the visibility map set, as autovacuum leaves a live
  // database (every table: without statistics of "Conversation" the planner took 12 of its
  // 1,001 rows for live and looked the caller's conversations up through all of them)
  await db.query('VACUUM ANALYZE');
}

async function sizes(db: Client): Promise<void> {
  const { rows } = await db.query<Record<string, string>>(`SELECT
      pg_size_pretty(pg_relation_size('${INDEX}')) AS index,
      pg_size_pretty(pg_table_size('"Message"')) AS "table",
      pg_size_pretty((SELECT sum(pg_column_size("searchVector")) FROM "Message")) AS "column",
      pg_size_pretty((SELECT sum(pg_column_size("body")) FROM "Message")) AS bodies,
      (SELECT count(*) FROM "Message" m JOIN "Membership" mb ON mb."conversationId" = m."conversationId"
        JOIN "User" u ON u.id = mb."userId" WHERE u.username NOT LIKE 'seed%') AS readable`);
  const s = rows[0];
  console.log(`[bench] sizes: GIN index ${s.index}, searchVector column ${s.column} (bodies ${s.bodies}), table with both ${s.table}; the user may read ${s.readable} messages`);
}

type Probe = { kind: string; q: string; params?: Record<string, string> };

function probes(mine: string[], someSender: string): Probe[] {
  const list: Probe[] = [];
  for (let i = 0; i < SEARCHES; i++) {
    const common = COMMON[i % COMMON.length];
    list.push(
      { kind: 'common word', q: common },
      { kind: 'rare word', q: `w${50_000 + ((i * 7919) % 50_000)}` },
      { kind: 'mid word', q: `w${200 + i * 13}` },
      { kind: 'common prefix', q: `${common.slice(0, Math.max(3, common.length - 2))}*` },
      { kind: 'tail prefix', q: `w${10 + i}*` },
      { kind: 'two words', q: `${common} ${COMMON[(i + 7) % COMMON.length]}` },
      { kind: 'phrase', q: `"${common} ${COMMON[(i + 3) % COMMON.length]}"` },
      { kind: 'accents folded', q: ['cafe', 'привет', 'καλημερα', 'NAIVE', 'strasse', 'елка', 'creme'][i % 7] },
      { kind: 'in 1 conversation', q: common, params: { conversationId: mine[i % mine.length] } },
      { kind: 'from 1 sender', q: common, params: { from: someSender } },
      { kind: 'no match', q: `nothing${i}` },
    );
  }
  return list;
}

const searchPath = (p: Probe, cursor?: string) =>
  `/search/messages?${new URLSearchParams({ q: p.q, limit: '20', ...p.params, ...(cursor ? { cursor } : {}) })}`;

async function databaseOnly(db: Client, userId: string, list: Probe[]): Promise<void> {
  const ms: number[] = [];
  for (const p of list) {
    const sql = messageSearchSql({ userId, terms: parseSearchTerms(p.q), conversationId: p.params?.conversationId, senderId: p.params?.from, limit: 21 });
    const started = performance.now();
    await db.query(sql.text, sql.values);
    ms.push(performance.now() - started);
  }
  console.log(`[bench] same searches, SQL only (ms): ${JSON.stringify(summarize(ms))}`);
}

type Explained = { who: string; userId: string; q: string; conversationId?: string; senderId?: string };

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the real statement, 5 times each: PostgreSQL's own execution
 * time (median, min-max), which a loaded machine disturbs far less than a round trip through
 * the api; how many messages the index lookups handed over (rows x loops of the scans of
 * "Message"), and the buffers the statement touched.
 */
async function explain(db: Client, cases: Explained[]): Promise<void> {
  for (const c of cases) {
    const sql = messageSearchSql({ userId: c.userId, terms: parseSearchTerms(c.q), conversationId: c.conversationId, senderId: c.senderId, limit: 21 });
    const ms: number[] = [];
    let lines: string[] = [];
    for (let i = 0; i < 5; i++) {
      const plan = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql.text}`, sql.values);
      lines = plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']);
      ms.push(Number(/Execution Time: ([\d.]+)/.exec(lines.join('\n'))?.[1]));
    }
    ms.sort((a, b) => a - b);
    let scanned = 0;
    let lookups = 0;
    for (const line of lines.filter((l) => /Bitmap Heap Scan on "Message"/.test(l))) {
      // rows: the average per loop, rounded by PostgreSQL
      const m = /rows=(\d+) loops=(\d+)/.exec(line);
      if (m) {
        scanned += Number(m[1]) * Number(m[2]);
        lookups += Number(m[2]);
      }
    }
    const buffers = lines.find((l) => /Buffers:/.test(l))?.trim() ?? '';
    const filters = [c.conversationId && 'in 1 conversation', c.senderId && 'from 1 sender'].filter(Boolean).join(', ');
    console.log(`[bench] EXPLAIN ${c.who} q=${JSON.stringify(c.q)}${filters ? ` (${filters})` : ''}: ` +
      `${ms[2].toFixed(1)} ms (${ms[0].toFixed(1)}-${ms[4].toFixed(1)}), ${scanned} matches from ${lookups} lookups, ${buffers}`);
  }
}

/**
 * The same sends, 20 at once (one conversation each): with the search index, without it, and
 * with it again (rebuilt, as the migration builds it), so that neither comes first only.
 */
async function sendCost(client: ApiClient, db: Client, token: string, senderId: string, mine: string[]): Promise<void> {
  const round = async (label: string) => {
    const ms: number[] = [];
    let next = 0;
    const started = performance.now();
    const worker = async (w: number) => {
      for (let i = next++; i < SENDS; i = next++) {
        const t0 = performance.now();
        const res = await client.post(`/conversations/${mine[w]}/messages`,
          { clientMsgId: `${label.replace(/\W/g, '')}-${i}`, body: `deploy the w${i} build to the server today, please ${COMMON[i % COMMON.length]}` }, token);
        if (res.status !== 201) throw new Error(`send: ${res.status} ${JSON.stringify(res.body)}`);
        ms.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, w) => worker(w)));
    const rate = Math.round(SENDS / ((performance.now() - started) / 1000));
    console.log(`[bench] ${SENDS} sends ${label} the search index: ${rate} msgs/s, latency (ms) ${JSON.stringify(summarize(ms))}; load average ${load()}`);
    // the database's share alone: one-row INSERTs, each its own transaction, one at a time
    const sql: number[] = [];
    for (let i = 0; i < SENDS; i++) {
      const t0 = performance.now();
      await db.query(`INSERT INTO "Message" (id, "conversationId", seq, "senderId", body, "clientMsgId", "eventSeq", "createdEventSeq")
        VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $2, $2)`,
        [mine[i % mine.length], 1_000_000 + round.count * SENDS + i, senderId, `deploy the w${i} build to the server today, please ${COMMON[i % COMMON.length]}`, `sql-${round.count}-${i}`]);
      sql.push(performance.now() - t0);
    }
    round.count++;
    console.log(`[bench]   the same as single-row INSERTs (SQL only, ms): ${JSON.stringify(summarize(sql))}`);
  };
  round.count = 0;
  await round('with');
  await db.query('ALTER TABLE "Message" DROP COLUMN "searchVector"'); // and its index
  await round('without');
  const started = performance.now();
  for (const migration of INDEX_MIGRATIONS) await db.query(readFileSync(path.join(MIGRATIONS_DIR, migration, 'migration.sql'), 'utf8'));
  console.log(`[bench] the migration's column and index added again to ${MESSAGES + 2 * SENDS} messages in ${Math.round(performance.now() - started)} ms`);
  await db.query('VACUUM ANALYZE "Message"');
  await round('again with');
}

/** Whether a database of a --seed-only or --keep run is there, with its messages and the bench user. */
async function isSeeded(serverUrl: string): Promise<boolean> {
  const db = new Client({ connectionString: databaseUrlFor(serverUrl, DATABASE) });
  try {
    await db.connect();
  } catch {
    return false; // no such database
  }
  try {
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM "User" u WHERE u.username = $1 AND EXISTS (SELECT 1 FROM "Message" LIMIT 1)`, [SEARCHER.username]);
    return rows[0].n === '1';
  } catch {
    return false; // not migrated
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  console.log(`[bench] load average at start (1, 5, 15 min): ${load()}`);
  const services = await ensureServices();
  const seeded = reuse && (await isSeeded(services.postgresServerUrl));
  if (!seeded) await recreateDatabase(services.postgresServerUrl, DATABASE);
  const databaseUrl = databaseUrlFor(services.postgresServerUrl, DATABASE);
  await migrate(databaseUrl);

  const port = await freePort();
  const api = launchApi({
    quiet: true,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      REDIS_URL: services.redisUrl,
      REDIS_PREFIX: `chatbox-bench-${process.pid}`,
      JWT_SECRET: randomBytes(32).toString('hex'),
      COOKIE_SECURE: 'false',
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      ...unlimitedRateLimits(),
    },
  });
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/api/health`, api);
    const client = new ApiClient(baseUrl);
    let me: { user: { id: string }; accessToken: string };
    if (seeded) {
      const res = await client.post<{ user: { id: string }; accessToken: string }>('/auth/login', SEARCHER);
      if (res.status !== 200 && res.status !== 201) throw new Error(`login: ${res.status} ${JSON.stringify(res.body)}`);
      me = res.body;
      // statistics of whatever a new migration wrote (autovacuum's work on a live database)
      await db.query('VACUUM ANALYZE');
      console.log(`[bench] reusing ${DATABASE}, seeded before; load average ${load()}`);
    } else {
      me = await client.registerUser(SEARCHER);
      await seed(db, me.user.id);
    }
    await sizes(db);
    if (seedOnly) return;
    const mine = (await db.query<{ id: string }>(
      `SELECT "conversationId" AS id FROM "Membership" m JOIN "Conversation" c ON c.id = m."conversationId"
       WHERE "userId" = $1 AND c.kind = 'group' ORDER BY c.name`, [me.user.id])).rows.map((r) => r.id);
    const sender = (await db.query<{ id: string }>(`SELECT "userId" AS id FROM "Membership" WHERE "conversationId" = $1 AND "userId" <> $2 LIMIT 1`, [mine[0], me.user.id])).rows[0].id;

    const timed = async (path: string) => {
      const started = performance.now();
      const res = await client.get(path, me.accessToken);
      const ms = performance.now() - started;
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return { ms, body: res.body as { items: unknown[]; nextCursor: string | null } };
    };
    const list = probes(mine, sender);
    for (const p of list.slice(0, 30)) await timed(searchPath(p)); // warm-up

    const byKind = new Map<string, number[]>();
    const hits = new Map<string, number>();
    const record = (kind: string, ms: number) => byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
    for (const p of list) {
      const first = await timed(searchPath(p));
      record(p.kind, first.ms);
      hits.set(p.kind, (hits.get(p.kind) ?? 0) + first.body.items.length);
      if (first.body.nextCursor && p.kind === 'common word') record('next page', (await timed(searchPath(p, first.body.nextCursor))).ms);
    }
    const all = [...byKind.values()].flat();
    console.log(`[bench] ${all.length} searches over HTTP, limit 20; load average ${load()}`);
    for (const [kind, ms] of byKind) console.log(`[bench]   ${kind.padEnd(18)} ${JSON.stringify(summarize(ms))} hits on first pages: ${hits.get(kind) ?? '-'}`);
    console.log(`[bench] message search latency (ms): ${JSON.stringify(summarize(all))}`);
    await databaseOnly(db, me.user.id, list);
    const few = (await db.query<{ id: string }>(`SELECT id FROM "User" WHERE username = 'seed1'`)).rows[0].id;
    const many = (await db.query<{ id: string }>(`SELECT id FROM "User" WHERE username = 'seedall'`)).rows[0].id;
    const cases: Explained[] = [];
    const users = [['user in 50', me.user.id], ['user in 10', few], ...(userInAll ? [['user in 1000', many]] : [])] as const;
    for (const [who, userId] of users) {
      for (const q of ['deploy', 'w73456', 'w250', 'budg*', 'w12*', 'w123*', 'de*', '"deploy today"', 'deploy today', 'καλημερα']) cases.push({ who, userId, q });
    }
    cases.push({ who: 'user in 50', userId: me.user.id, q: 'deploy', conversationId: mine[0] }, { who: 'user in 50', userId: me.user.id, q: 'deploy', senderId: sender });
    await explain(db, cases);
    if (sends) await sendCost(client, db, me.accessToken, me.user.id, mine);
    console.log(`[bench] load average at the end (1, 5, 15 min): ${load()}`);
  } finally {
    await db.end();
    await stopProcess(api);
    if (!keep && !reuse && !seedOnly) await dropDatabase(services.postgresServerUrl, DATABASE);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
