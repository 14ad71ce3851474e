import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';

/** conversationId and seq are null when the message is gone (its conversation was deleted). */
export type OutboxEntry = { messageId: string; conversationId: string | null; seq: number | null };

/**
 * Rows of committed messages whose fan-out job may not be enqueued yet. Plain SQL on the pool:
 * with the fan-out reads, that keeps the worker free of Prisma's query compiler (~90 MB).
 */
@Injectable()
export class OutboxRepository {
  constructor(private readonly prisma: PrismaService) {}

  async deleteMany(messageIds: readonly string[]): Promise<void> {
    if (messageIds.length === 0) return;
    await this.prisma.rows(Prisma.sql`DELETE FROM "FanoutOutbox" WHERE "messageId" = ANY(${[...messageIds]}::uuid[])`);
  }

  /** Oldest first, so a backlog drains in commit order; with the message's place in its conversation. */
  async olderThan(cutoff: Date, limit: number): Promise<OutboxEntry[]> {
    return this.prisma.rows<OutboxEntry>(Prisma.sql`
      SELECT o."messageId", m."conversationId", m."seq"
      FROM "FanoutOutbox" o LEFT JOIN "Message" m ON m."id" = o."messageId"
      WHERE o."createdAt" < ${cutoff}
      ORDER BY o."createdAt" ASC
      LIMIT ${limit}`);
  }
}
