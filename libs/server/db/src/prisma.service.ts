import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, QueryResultRow } from 'pg';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { PrismaClient } from './generated/client';

/** The one PrismaClient of a process. Only repositories use it. */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  /**
   * The pg pool Prisma's driver adapter runs on: the same connections and limits. The hottest
   * statements (storing a send batch, fan-out reads) run on it directly, as plain parameterised
   * SQL: Prisma 7's query compiler adds ~0.4 ms of CPU to every query on this machine, more
   * than those statements cost PostgreSQL, and ~90 MB to a process that uses it at all (the
   * worker does not). Everything else goes through Prisma.
   */
  private readonly pool: Pool;
  private readonly logger = new Logger(PrismaService.name);

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const pool = new Pool({ connectionString: config.databaseUrl, max: config.databasePoolSize });
    super({
      adapter: new PrismaPg(pool, { disposeExternalPool: true }),
      // Under a burst, waiting a few seconds for a pooled connection beats failing the request.
      transactionOptions: { maxWait: 10_000, timeout: 15_000 },
    });
    this.pool = pool;
    // an idle connection that PostgreSQL closed (a restart) is dropped by the pool; not fatal
    pool.on('error', (err) => this.logger.warn(`idle database connection lost: ${err.message}`));
  }

  /** One parameterised statement on the pool ($1, $2, ...), its rows as pg returns them. */
  async sql<T extends QueryResultRow>(text: string, values: readonly unknown[] = []): Promise<T[]> {
    return (await this.pool.query<T>(text, values as unknown[])).rows;
  }

  async isUp(): Promise<boolean> {
    try {
      await this.sql('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect(); // ends the pool too, if Prisma ever connected
    if (!this.pool.ended) await this.pool.end();
  }
}
