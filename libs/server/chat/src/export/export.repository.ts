import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import type { TMessage } from '@chatbox/contracts';
import { callerIsMemberSql } from '../access/access.repository';
import { MessageRow, SELECT_MESSAGE, toMessage } from '../messages/message.mapper';
import { USER_FIELDS_SELECT, type UserFieldsRow } from '@chatbox/server-common';

export type AccountRow = UserFieldsRow & { shareReadReceipts: boolean; createdAt: Date };

/** The reads of a user's data export: their own row, when they joined, their conversations' messages. */
@Injectable()
export class ExportRepository {
  constructor(private readonly prisma: PrismaService) {}

  account(userId: string): Promise<AccountRow | null> {
    return this.prisma.user.findUnique({
      where: { id: userId },
      select: { ...USER_FIELDS_SELECT, shareReadReceipts: true, createdAt: true },
    });
  }

  /** When the user joined each conversation they are a member of. */
  async joinedAt(userId: string): Promise<Map<string, Date>> {
    const rows = await this.prisma.membership.findMany({ where: { userId }, select: { conversationId: true, joinedAt: true } });
    return new Map(rows.map((r) => [r.conversationId, r.joinedAt]));
  }

  /** Up to `limit` messages after seq `after`, replies and deleted ones included; none once the caller is no member. */
  async messagesAfter(conversationId: string, userId: string, after: number, limit: number): Promise<TMessage[]> {
    const rows = await this.prisma.rows<MessageRow>(Prisma.sql`
      ${SELECT_MESSAGE} WHERE m."conversationId" = ${conversationId}::uuid AND m."seq" > ${after}
        AND ${callerIsMemberSql(conversationId, userId)}
      ORDER BY m."seq" ASC LIMIT ${limit}`);
    return rows.map(toMessage);
  }

  /** The attachments (not deleted) of the messages of these conversations, by id. */
  attachmentsOf(conversationIds: readonly string[]): Promise<Array<{ id: string; name: string; storageKey: string }>> {
    return this.prisma.rows(Prisma.sql`
      SELECT a."id", a."name", a."storageKey" FROM "Attachment" a JOIN "Message" m ON m."id" = a."messageId"
      WHERE m."conversationId" = ANY (${[...conversationIds]}::uuid[]) AND a."deletedAt" IS NULL
      ORDER BY a."id"`);
  }
}
