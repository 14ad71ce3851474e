import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';

/** One committed change whose fan-out job may not be enqueued yet. */
export type OutboxEntry = { conversationId: string; eventSeq: number };

/**
 * Rows of committed changes whose fan-out job may not be enqueued yet. Plain SQL on the pool:
 * with the fan-out reads, that keeps the worker free of Prisma's query compiler (~90 MB).
 */
@Injectable()
export class OutboxRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Rows waiting (metrics). */
  async count(): Promise<number> {
    const [row] = await this.prisma.rows<{ n: number }>(Prisma.sql`SELECT count(*)::int AS n FROM "FanoutOutbox"`);
    return Number(row?.n ?? 0);
  }

  async deleteMany(entries: readonly OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.prisma.rows(Prisma.sql`
      DELETE FROM "FanoutOutbox" o
      USING unnest(${entries.map((e) => e.conversationId)}::uuid[], ${entries.map((e) => e.eventSeq)}::int[]) AS d("conversationId", "eventSeq")
      WHERE o."conversationId" = d."conversationId" AND o."eventSeq" = d."eventSeq"`);
  }

  /** Oldest first, so a backlog drains in commit order. */
  async olderThan(cutoff: Date, limit: number): Promise<OutboxEntry[]> {
    const rows = await this.prisma.rows<OutboxEntry>(Prisma.sql`
      SELECT o."conversationId", o."eventSeq" FROM "FanoutOutbox" o
      WHERE o."createdAt" < ${cutoff}
      ORDER BY o."createdAt" ASC
      LIMIT ${limit}`);
    return rows.map((r) => ({ conversationId: r.conversationId, eventSeq: Number(r.eventSeq) }));
  }
}
