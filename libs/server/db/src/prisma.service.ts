import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, QueryConfig } from 'pg';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { Prisma, PrismaClient } from './generated/client';
import { createDatabasePool } from './database-connections';

/** How many statement shapes rows() prepares; a safety net, the code has a handful. */
const PREPARED_MAX = 64;

/**
 * Every session of the pool plans a prepared statement once (a generic plan) instead of again
 * for every execution. PostgreSQL's own choice (`auto`) kept re-planning the statements whose
 * inputs are arrays (unnest), which is every batch statement: it compares the generic plan's
 * cost, estimated for arrays of unknown length, with custom plans made for the actual short
 * arrays, and the generic one never wins. Measured (phase A at 100 msgs/s, one message per
 * batch): storing a send batch took 1.81 ms to plan and 0.58 ms to run; with this setting
 * 0.05 ms and 0.64 ms. A DATABASE_URL with its own `options` replaces this one; PGOPTIONS adds to
 * it (pg reads PGOPTIONS only when a pool gives no options of its own, as this one does).
 */
const SESSION_OPTIONS = '-c plan_cache_mode=force_generic_plan';
/** For the few statements whose best plan depends on their values (rows(query, { plan: 'custom' })). */
const CUSTOM_PLAN = 'BEGIN; SET LOCAL plan_cache_mode = force_custom_plan';

/**
 * The one PrismaClient of a process. Only repositories use it.
 *
 * It runs on a pg pool of its own making, which `rows()` shares: the few queries every request
 * or message runs (the session check, access checks, history pages, storing a send batch,
 * fan-out reads) go straight to pg. Prisma 7's query path (query compiler, result mapping)
 * costs 0.4-1 ms of CPU per query on top of pg's ~0.2 ms, more than the rest of such a request
 * together, and ~90 MB to a process that uses it at all (the worker does not). Same
 * connections, same limit (DATABASE_POOL_SIZE), so the process never holds more than before.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  private readonly pool: Pool;
  private readonly statementNames = new Map<string, string>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // several hosts / target_session_attrs in the URL: a pool that finds the primary (database-connections.ts);
    // idle connections stay open (pg closes them after 10 s by default): a burst after a quiet
    // spell would otherwise queue behind reconnecting, and the pool never holds more than max
    const pool = createDatabasePool(config.databaseUrl, { max: config.databasePoolSize, idleTimeoutMillis: 0, allowExitOnIdle: true, options: [SESSION_OPTIONS, config.databaseSessionOptions].join(' ').trim() });
    super({
      // $disconnect() ends the pool too (callers outside Nest only call that)
      adapter: new PrismaPg(pool, { disposeExternalPool: true }),
      // Under a burst, waiting a few seconds for a pooled connection beats failing the request.
      transactionOptions: { maxWait: 10_000, timeout: 15_000 },
    });
    this.pool = pool;
    // An idle connection that breaks (PostgreSQL restarting) is dropped by the pool; without a
    // listener its 'error' event would end the process.
    const logger = new Logger(PrismaService.name);
    pool.on('error', (err) => logger.warn(`idle database connection lost: ${err.message}`));
  }

  /**
   * Runs one statement built with Prisma.sql (values always travel as parameters) on the
   * shared pool, without Prisma's query engine, for hot read paths. Rows come as pg parses
   * them: int4 as number, timestamptz as Date, enums and uuids as strings, int8 and numeric as
   * strings (cast to int in SQL where a number is wanted). Outside any Prisma transaction.
   *
   * Each distinct statement text is prepared once per connection and then only bound and
   * executed: PostgreSQL plans it once instead of on every call (planning the history query
   * took longer than running it; see SESSION_OPTIONS). Texts must therefore come in a few fixed
   * shapes: lists go in as one array parameter (= ANY($1)), never spliced in; beyond
   * PREPARED_MAX shapes the rest run unprepared. (Prepared statements live in a server session:
   * a pooler in front of PostgreSQL must keep sessions, e.g. pgbouncer in session mode, not
   * transaction mode.)
   *
   * `plan: 'custom'`: planned for its values on every call, in a transaction of its own, for a
   * statement whose values decide its plan (filters that are NULL when absent, search terms).
   */
  async rows<T>(query: Prisma.Sql, options: { plan?: 'custom'; timeoutMs?: number } = {}): Promise<T[]> {
    // timeoutMs (only without plan 'custom'): pg stops waiting for the answer, and the pool
    // drops the connection (a query that fails releases its client with the error): one that
    // carries nothing any more is not used again. Whether the statement ran is then unknown,
    // as after any broken connection.
    const statement = { name: this.statementName(query.text), text: query.text, values: query.values };
    if (options.plan !== 'custom') {
      const timed: QueryConfig & { query_timeout?: number } = { ...statement, query_timeout: options.timeoutMs };
      return (await this.pool.query<T & object>(timed)).rows;
    }
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(CUSTOM_PLAN);
      const { rows } = await client.query<T & object>(statement);
      await client.query('COMMIT');
      return rows;
    } catch (err) {
      await client.query('ROLLBACK').catch((failed: Error) => (broken = failed));
      throw err;
    } finally {
      client.release(broken);
    }
  }

  private statementName(text: string): string | undefined {
    let name = this.statementNames.get(text);
    if (name === undefined && this.statementNames.size < PREPARED_MAX) {
      name = `chatbox_${this.statementNames.size + 1}`;
      this.statementNames.set(text, name);
    }
    return name;
  }

  /**
   * Opens the pool's connections (all DATABASE_POOL_SIZE of them, side by side) before the
   * process says it is ready: otherwise the first burst after a start opens them one by one
   * while requests queue behind each connect and authentication. Never throws (a database that
   * is not up yet is the readiness probe's business); returns how many it opened.
   */
  async warmUp(): Promise<number> {
    const size = this.pool.options.max ?? 10;
    const clients = await Promise.allSettled(Array.from({ length: size }, () => this.pool.connect()));
    const opened = clients.flatMap((c) => (c.status === 'fulfilled' ? [c.value] : []));
    await Promise.allSettled(opened.map((client) => client.query('SELECT 1')));
    for (const client of opened) client.release();
    return opened.length;
  }

  /** The pool's connections now (metrics): open, idle, and clients waiting for one. */
  poolStats(): { total: number; idle: number; waiting: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  async isUp(): Promise<boolean> {
    try {
      await this.rows(Prisma.sql`SELECT 1`);
      return true;
    } catch {
      return false;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
    // Prisma ends the pool only if it ever connected
    if (!this.pool.ended) await this.pool.end();
  }
}
