import { Injectable } from '@nestjs/common';
import { PrismaService } from '@chatbox/server-db';

/** Rows of committed messages whose fan-out job may not be enqueued yet. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly prisma: PrismaService) {}

  async delete(messageId: string): Promise<void> {
    await this.prisma.fanoutOutbox.deleteMany({ where: { messageId } });
  }

  async deleteMany(messageIds: readonly string[]): Promise<void> {
    await this.prisma.fanoutOutbox.deleteMany({ where: { messageId: { in: [...messageIds] } } });
  }

  /** Oldest first, so a backlog drains in commit order. */
  async olderThan(cutoff: Date, limit: number): Promise<string[]> {
    const rows = await this.prisma.fanoutOutbox.findMany({
      where: { createdAt: { lt: cutoff } },
      orderBy: { createdAt: 'asc' },
      take: limit,
      select: { messageId: true },
    });
    return rows.map((r) => r.messageId);
  }
}
