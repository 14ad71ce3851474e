import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import type { TReceipt } from '@chatbox/contracts';
import { callerIsMemberSql } from '../access/access.repository';

@Injectable()
export class ReceiptRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Every member's read pointer, of members who share receipts; empty unless the caller is a member. */
  async sharedIn(conversationId: string, callerId: string): Promise<TReceipt[]> {
    const rows = await this.prisma.rows<TReceipt>(Prisma.sql`
      SELECT mb."userId", mb."readSeq" FROM "Membership" mb JOIN "User" u ON u."id" = mb."userId"
      WHERE mb."conversationId" = ${conversationId}::uuid AND u."shareReadReceipts" AND ${callerIsMemberSql(conversationId, callerId)}
      ORDER BY mb."readSeq" DESC, mb."userId"`);
    return rows.map((r) => ({ userId: r.userId, readSeq: Number(r.readSeq) }));
  }
}
