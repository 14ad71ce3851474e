import { unlimitedRateLimits } from './stack/bench-stack';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { userSearchSql } from '@chatbox/server-chat';
import { ApiClient } from '@chatbox/server-testing';
import {
  databaseUrlFor,
  dropDatabase,
  ensureServices,
  freePort,
  launchApi,
  migrate,
  recreateDatabase,
  stopProcess,
  waitForHttp,
} from '@chatbox/tools';

/**
 * GET /api/users against 100,000 seeded users, through the real api process over HTTP.
 * Prints p50/p99/max latency (ms) overall and per kind of query, and the plans PostgreSQL
 * picks for them. Own database (dropped at the end unless --keep), own Redis prefix.
 */
const DATABASE = 'chatbox_bench_search';
const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 300);
const keep = process.argv.includes('--keep');

const FIRST = ['anna', 'ben', 'carla', 'david', 'emma', 'felix', 'greta', 'hugo', 'ines', 'jonas', 'karl', 'lena', 'maria',
  'noah', 'olivia', 'paul', 'quinn', 'rosa', 'sofia', 'tom', 'ute', 'victor', 'wanda', 'xaver', 'yara', 'zoe', 'liam',
  'mia', 'elias', 'hannah', 'lukas', 'clara', 'ahmed', 'fatima', 'jose', 'lucia', 'wei', 'mei', 'sven', 'ingrid'];
const LAST = ['smith', 'mueller', 'garcia', 'schmidt', 'rossi', 'novak', 'kowalski', 'jensen', 'dubois', 'martin', 'silva',
  'santos', 'nguyen', 'kim', 'tanaka', 'ivanova', 'hansen', 'weber', 'fischer', 'meyer', 'wagner', 'becker', 'hoffmann',
  'schulz', 'koch', 'richter', 'klein', 'wolf', 'neumann', 'schwarz', 'braun', 'zimmermann', 'krueger', 'hartmann'];

/** Deterministic pseudo-random numbers, so runs compare. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32);
}

async function seed(databaseUrl: string): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const started = performance.now();
    // one constant bcrypt hash: these users never log in
    await db.query(
      `INSERT INTO "User" (id, username, "usernameKey", "displayName", "passwordHash")
       SELECT gen_random_uuid(), u, lower(u), d, '$2b$04$abcdefghijklmnopqrstuu5R0nJ7kP0z0fUo6v3Hq8tQmQ3I0VhWa'
       FROM (
         SELECT f[1 + i % cardinality(f)] || CASE WHEN i % 3 = 0 THEN '.' ELSE '_' END
                  || substr(md5(i::text), 1, 4) || i AS u,
                initcap(f[1 + (i / 7) % cardinality(f)]) || ' ' || initcap(l[1 + (i / 3) % cardinality(l)]) AS d
         FROM generate_series(1, $1::int) AS i, (SELECT $2::text[] AS f, $3::text[] AS l) names
       ) s`,
      [USERS, FIRST, LAST],
    );
    // steady state: GIN pending lists flushed and statistics fresh, as autovacuum leaves a live table
    await db.query('VACUUM ANALYZE "User"');
    console.log(`[bench] seeded ${USERS} users in ${Math.round(performance.now() - started)} ms`);
  } finally {
    await db.end();
  }
}

type Probe = { kind: string; q: string };

function probes(sample: string[]): Probe[] {
  const rand = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const hex = () => Math.floor(rand() * 0x10000).toString(16).padStart(4, '0').slice(0, 2 + Math.floor(rand() * 3));
  const makers: Array<[string, () => string]> = [
    ['1 char', () => pick('abcdefghijklmnopqrstuvwxyz0123456789'.split(''))],
    ['2 chars', () => pick(FIRST).slice(1, 3)],
    ['first name', () => pick(FIRST)],
    ['name prefix', () => pick(FIRST).slice(0, 3).toUpperCase()],
    ['last name', () => pick(LAST)],
    ['inner substring', () => pick(LAST).slice(2, 6)],
    ['hex fragment', hex],
    ['digits', () => String(Math.floor(rand() * 100_000))],
    ['exact username', () => pick(sample)],
    ['display name', () => `${pick(FIRST)} ${pick(LAST).slice(0, 2)}`],
    ['no match', () => `nobody${Math.floor(rand() * 1000)}x`],
  ];
  return Array.from({ length: SEARCHES }, (_, i) => {
    const [kind, make] = makers[i % makers.length];
    return { kind, q: make() };
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  return `n=${s.length} p50=${percentile(s, 50).toFixed(1)} p99=${percentile(s, 99).toFixed(1)} max=${s[s.length - 1].toFixed(1)}`;
}

async function explain(databaseUrl: string, qs: string[]): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    for (const q of qs) {
      const sql = userSearchSql(q, { phase: 0 }, 21);
      const plan = await db.query(`EXPLAIN (ANALYZE, COSTS OFF) ${sql.text}`, sql.values);
      const lines: string[] = plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']);
      // the scans that ran (most branches of the statement never do), without re-reads of CTEs
      const nodes = lines
        .filter((l) => (/Scan/.test(l) && !/never executed|CTE Scan/.test(l)) || /Execution Time/.test(l))
        .map((l) => l.trim().replace(/^->\s*/, '').replace(/\s+\(actual.*\)$/, ''));
      console.log(`[bench] plan q=${JSON.stringify(q)}: ${nodes.join(' | ')}`);
    }
  } finally {
    await db.end();
  }
}

/** The answers must equal a plain (slow) query's: first and second page of some probes. */
async function checkAgainstNaive(
  databaseUrl: string,
  list: Probe[],
  timed: (path: string) => Promise<{ body: { items: unknown[]; nextCursor: string | null } }>,
): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    for (const p of list) {
      const naive = await db.query<{ id: string }>(
        `SELECT id FROM "User", (SELECT lower($1) AS k) q
         WHERE position(k in "usernameKey") > 0 OR position(k in lower("displayName")) > 0
         ORDER BY CASE WHEN "usernameKey" = k THEN 0
                       WHEN starts_with("usernameKey", k) OR starts_with(lower("displayName"), k) THEN 1 ELSE 2 END, id
         LIMIT 40`,
        [p.q],
      );
      const first = await timed(`/users?q=${encodeURIComponent(p.q)}&limit=20`);
      let ids = first.body.items.map((u) => (u as { id: string }).id);
      if (first.body.nextCursor) {
        const next = await timed(`/users?q=${encodeURIComponent(p.q)}&limit=20&cursor=${first.body.nextCursor}`);
        ids = [...ids, ...next.body.items.map((u) => (u as { id: string }).id)];
      }
      const expected = naive.rows.map((r) => r.id);
      if (JSON.stringify(ids) !== JSON.stringify(expected)) {
        throw new Error(`q=${JSON.stringify(p.q)}: the api's two pages differ from the plain query's order`);
      }
    }
    console.log(`[bench] ${list.length} searches checked against a plain query: same users, same order`);
  } finally {
    await db.end();
  }
}

/** The same searches straight on PostgreSQL, one statement each as the service runs it: the part the indexes decide. */
async function databaseOnly(databaseUrl: string, list: Probe[]): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const ms: number[] = [];
    for (const p of list) {
      const started = performance.now();
      const sql = userSearchSql(p.q, { phase: 0 }, 21);
      await db.query(sql.text, sql.values);
      ms.push(performance.now() - started);
    }
    console.log(`[bench] same searches, SQL only (ms): ${summary(ms)}`);
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  const services = await ensureServices();
  await recreateDatabase(services.postgresServerUrl, DATABASE);
  const databaseUrl = databaseUrlFor(services.postgresServerUrl, DATABASE);
  await migrate(databaseUrl);
  await seed(databaseUrl);

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
  try {
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/api/health`, api);
    const client = new ApiClient(baseUrl);
    const { accessToken } = await client.registerUser();
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const sample = (await db.query<{ username: string }>('SELECT username FROM "User" ORDER BY random() LIMIT 50')).rows.map((r) => r.username);
    await db.end();

    const timed = async (path: string) => {
      const started = performance.now();
      const res = await client.get(path, accessToken);
      const ms = performance.now() - started;
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return { ms, body: res.body as { items: unknown[]; nextCursor: string | null } };
    };
    const list = probes(sample);
    for (const p of list.slice(0, 20)) await timed(`/users?q=${encodeURIComponent(p.q)}`); // warm-up

    const all: number[] = [];
    const byKind = new Map<string, number[]>();
    const record = (kind: string, ms: number) => {
      all.push(ms);
      byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
    };
    let hits = 0;
    for (const p of list) {
      const first = await timed(`/users?q=${encodeURIComponent(p.q)}&limit=20`);
      record(p.kind, first.ms);
      hits += first.body.items.length;
      if (first.body.nextCursor) {
        const next = await timed(`/users?q=${encodeURIComponent(p.q)}&limit=20&cursor=${first.body.nextCursor}`);
        record('next page', next.ms);
      }
    }
    console.log(`[bench] ${all.length} searches over HTTP, ${hits} users found on first pages`);
    for (const [kind, ms] of byKind) console.log(`[bench]   ${kind.padEnd(16)} ${summary(ms)}`);
    console.log(`[bench] user search latency (ms): ${summary(all)}`);
    await checkAgainstNaive(databaseUrl, list.slice(0, 44), timed);
    await databaseOnly(databaseUrl, list);
    await explain(databaseUrl, ['a', 'z', '2e', 'smith', 'anna', 'a3f', 'nobody1x']);
  } finally {
    await stopProcess(api);
    if (!keep) await dropDatabase(services.postgresServerUrl, DATABASE);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
