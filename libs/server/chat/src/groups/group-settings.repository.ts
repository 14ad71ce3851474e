import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import type { Db } from '../persistence/transaction.runner';

export type GroupSettings = { name?: string; description?: string; anonymousQuestions?: boolean };

/** A group's own settings (PATCH /api/groups/:id): name, description, anonymous questions. */
@Injectable()
export class GroupSettingsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Writes the fields given; the caller holds the conversation's row lock. */
  async update(tx: Db, conversationId: string, settings: GroupSettings): Promise<void> {
    await tx.conversation.update({ where: { id: conversationId }, data: settings });
  }

  /** True when members of the conversation may send anonymously. */
  async takesAnonymousQuestions(conversationId: string): Promise<boolean> {
    const rows = await this.prisma.rows<{ anonymousQuestions: boolean }>(Prisma.sql`
      SELECT "anonymousQuestions" FROM "Conversation" WHERE "id" = ${conversationId}::uuid`);
    return rows[0]?.anonymousQuestions === true;
  }
}
