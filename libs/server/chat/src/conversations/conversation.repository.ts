import { Injectable } from '@nestjs/common';
import { PrismaService } from '@chatbox/server-db';
import type { TConversationKind, TVisibility } from '@chatbox/contracts';
import type { Db } from '../persistence/transaction.runner';

export type LockedConversation = {
  id: string;
  kind: TConversationKind;
  visibility: TVisibility | null;
  archived: boolean;
};

/** "<smaller id>:<larger id>": the one key of the direct conversation of a pair. */
export const directKey = (a: string, b: string): string => (a < b ? `${a}:${b}` : `${b}:${a}`);

@Injectable()
export class ConversationRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Locks the conversation row for the rest of the transaction: membership changes of one
   * conversation run one after another, so hand-over and archive see a settled member list.
   */
  async lock(tx: Db, conversationId: string): Promise<LockedConversation | null> {
    const rows = await tx.$queryRaw<Array<{ id: string; kind: TConversationKind; visibility: TVisibility | null; archived: boolean }>>`
      SELECT id, kind::text AS kind, visibility::text AS visibility, ("archivedAt" IS NOT NULL) AS archived
      FROM "Conversation" WHERE id = ${conversationId}::uuid FOR UPDATE`;
    return rows[0] ?? null;
  }

  async createGroup(tx: Db, name: string, visibility: TVisibility, settings: { description: string; anonymousQuestions: boolean; ephemeral: boolean }): Promise<string> {
    const row = await tx.conversation.create({ data: { kind: 'group', name, visibility, ...settings }, select: { id: true } });
    return row.id;
  }

  /**
   * Creates the pair's direct conversation unless it exists. Two racing callers both reach here;
   * the unique directKey makes the second insert wait for the first and then do nothing.
   * Returns the new id, or null when the conversation already existed.
   */
  async insertDirect(tx: Db, key: string): Promise<string | null> {
    const rows = await tx.$queryRaw<Array<{ id: string }>>`
      INSERT INTO "Conversation" ("id", "kind", "directKey")
      VALUES (gen_random_uuid(), 'direct', ${key})
      ON CONFLICT ("directKey") DO NOTHING
      RETURNING id`;
    return rows[0]?.id ?? null;
  }

  async findDirect(key: string, db: Db = this.prisma): Promise<string | null> {
    const row = await db.conversation.findUnique({ where: { directKey: key }, select: { id: true } });
    return row?.id ?? null;
  }

  /** Gone for good: memberships and notices go with it (foreign keys, on delete cascade). */
  async delete(tx: Db, conversationId: string): Promise<void> {
    await tx.conversation.delete({ where: { id: conversationId } });
  }

  async archive(tx: Db, conversationId: string): Promise<void> {
    await tx.conversation.update({ where: { id: conversationId }, data: { archivedAt: new Date() } });
  }
}
