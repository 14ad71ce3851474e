import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import type { MessageAttachment } from './attachment.mapper';

/** An upload as stored: what it is and where its bytes are. */
export type StoredAttachment = MessageAttachment & { uploaderId: string; storageKey: string; thumbnailKey: string | null };

/** The keys of an attachment's bytes in the FileStore. */
export type AttachmentKeys = { id: string; storageKey: string; thumbnailKey: string | null };

export type ReadableAttachment = Pick<StoredAttachment, 'name' | 'contentType' | 'size' | 'storageKey' | 'thumbnailKey'>;

/** Why an id cannot be attached (see sendProblems). */
export type SendProblem = { id: string; problem: 'not_yours' | 'sent' };

@Injectable()
export class AttachmentRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(a: StoredAttachment): Promise<void> {
    await this.prisma.rows(Prisma.sql`
      INSERT INTO "Attachment" ("id", "uploaderId", "name", "contentType", "size", "storageKey", "thumbnailKey", "width", "height")
      VALUES (${a.id}::uuid, ${a.uploaderId}::uuid, ${a.name}, ${a.contentType}, ${a.size}, ${a.storageKey}, ${a.thumbnailKey}, ${a.width}, ${a.height})`);
  }

  /**
   * The attachment when `userId` may read it: its uploader, or a member of the live conversation
   * whose message holds it (a deleted message's attachments: nobody). One statement.
   */
  async readable(id: string, userId: string): Promise<ReadableAttachment | null> {
    const [row] = await this.prisma.rows<ReadableAttachment>(Prisma.sql`
      SELECT a."name", a."contentType", a."size"::float8 AS "size", a."storageKey", a."thumbnailKey" FROM "Attachment" a
      WHERE a."id" = ${id}::uuid AND a."deletedAt" IS NULL
        AND (a."uploaderId" = ${userId}::uuid OR EXISTS (
          SELECT 1 FROM "Message" m
          JOIN "Membership" mb ON mb."conversationId" = m."conversationId" AND mb."userId" = ${userId}::uuid
          JOIN "Conversation" c ON c."id" = m."conversationId" AND c."archivedAt" IS NULL
          WHERE m."id" = a."messageId"))`);
    return row ?? null;
  }

  /**
   * The ids `senderId` may not attach to a new message: not an upload of theirs (or deleted, or
   * no such upload), or already sent. Empty when all may be attached.
   */
  async sendProblems(senderId: string, ids: readonly string[]): Promise<SendProblem[]> {
    const rows = await this.prisma.rows<{ id: string; uploaderId: string; messageId: string | null; deleted: boolean }>(Prisma.sql`
      SELECT "id", "uploaderId", "messageId", "deletedAt" IS NOT NULL AS "deleted" FROM "Attachment" WHERE "id" = ANY (${[...ids]}::uuid[])`);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id): SendProblem[] => {
      const row = byId.get(id);
      if (!row || row.uploaderId !== senderId || row.deleted) return [{ id, problem: 'not_yours' }];
      return row.messageId === null ? [] : [{ id, problem: 'sent' }];
    });
  }

  /** Marks uploads never sent within `maxAgeSeconds` deleted (a send can no longer take them); answers how many. */
  async markUnsentDeleted(maxAgeSeconds: number): Promise<number> {
    const rows = await this.prisma.rows<{ id: string }>(Prisma.sql`
      UPDATE "Attachment" SET "deletedAt" = now()
      WHERE "messageId" IS NULL AND "deletedAt" IS NULL AND "createdAt" < now() - make_interval(secs => ${maxAgeSeconds})
      RETURNING "id"`);
    return rows.length;
  }

  /** Up to `limit` attachments marked deleted whose bytes are still to remove; only those of `messageIds` when given. */
  async deleted(limit: number, messageIds?: readonly string[]): Promise<AttachmentKeys[]> {
    const ofMessages = messageIds ? Prisma.sql`AND "messageId" = ANY (${[...messageIds]}::uuid[])` : Prisma.empty;
    return this.prisma.rows<AttachmentKeys>(Prisma.sql`
      SELECT "id", "storageKey", "thumbnailKey" FROM "Attachment" WHERE "deletedAt" IS NOT NULL ${ofMessages}
      ORDER BY "deletedAt" LIMIT ${limit}`);
  }

  /** Removes rows whose bytes are gone (deleted ones only). */
  async remove(ids: readonly string[]): Promise<void> {
    await this.prisma.rows(Prisma.sql`DELETE FROM "Attachment" WHERE "id" = ANY (${[...ids]}::uuid[]) AND "deletedAt" IS NOT NULL`);
  }
}
