import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import type { MessageAttachment } from './attachment.mapper';

/** An upload as stored: what it is and where its bytes are. */
export type StoredAttachment = MessageAttachment & { uploaderId: string; storageKey: string; thumbnailKey: string | null };

/** The keys of an attachment's bytes in the FileStore. */
export type AttachmentKeys = { id: string; storageKey: string; thumbnailKey: string | null };

export type ReadableAttachment = Pick<StoredAttachment, 'name' | 'contentType' | 'size' | 'storageKey' | 'thumbnailKey'>;

/** A message of an ephemeral room (its id in Redis). */
export type RoomMessage = { roomId: string; messageId: string };

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
   * whose message holds it (a deleted message's attachments: nobody), or a member of the
   * ephemeral room it was sent in (`room`: the caller still checks that its message is there).
   * One statement.
   */
  async readable(id: string, userId: string): Promise<(ReadableAttachment & { room: RoomMessage | null }) | null> {
    const [row] = await this.prisma.rows<ReadableAttachment & { roomId: string | null; roomMessageId: string | null }>(Prisma.sql`
      SELECT a."name", a."contentType", a."size"::float8 AS "size", a."storageKey", a."thumbnailKey",
             a."roomId"::text AS "roomId", a."roomMessageId"::text AS "roomMessageId" FROM "Attachment" a
      WHERE a."id" = ${id}::uuid AND a."deletedAt" IS NULL
        -- scalar subqueries, read by key (as in the send statement, MessageRepository.insertBatch: an
        -- EXISTS under an OR may be planned as a hash of every message of the caller's conversations)
        AND (a."uploaderId" = ${userId}::uuid OR (
          SELECT true FROM "Message" m
          JOIN "Membership" mb ON mb."conversationId" = m."conversationId" AND mb."userId" = ${userId}::uuid
          JOIN "Conversation" c ON c."id" = m."conversationId" AND c."archivedAt" IS NULL
          WHERE m."id" = a."messageId") OR (
          SELECT true FROM "Membership" rm JOIN "Conversation" rc ON rc."id" = rm."conversationId" AND rc."archivedAt" IS NULL
          WHERE rm."conversationId" = a."roomId" AND rm."userId" = ${userId}::uuid))`);
    if (!row) return null;
    const { roomId, roomMessageId, ...readable } = row;
    return { ...readable, room: roomId && roomMessageId ? { roomId, messageId: roomMessageId } : null };
  }

  /**
   * Ties the sender's unsent uploads to a message of an ephemeral room, all or none (locked: a
   * concurrent send of the same upload waits, then finds it sent). An anonymous message's uploads
   * forget their uploader. Answers them in the order asked, or null when one may not be sent.
   */
  async claimForRoom(senderId: string, ids: readonly string[], room: RoomMessage, anonymous: boolean): Promise<MessageAttachment[] | null> {
    const rows = await this.prisma.rows<MessageAttachment & { id: string }>(Prisma.sql`
      WITH claimable AS MATERIALIZED (
        SELECT "id" FROM "Attachment"
        WHERE "id" = ANY (${[...ids]}::uuid[]) AND "uploaderId" = ${senderId}::uuid
          AND "messageId" IS NULL AND "roomId" IS NULL AND "deletedAt" IS NULL
        FOR UPDATE
      )
      UPDATE "Attachment" a
      SET "roomId" = ${room.roomId}::uuid, "roomMessageId" = ${room.messageId}::uuid, "sentAt" = now(),
          "uploaderId" = CASE WHEN ${anonymous} THEN NULL ELSE a."uploaderId" END
      WHERE a."id" IN (SELECT "id" FROM claimable) AND (SELECT count(*) FROM claimable) = ${ids.length}
      RETURNING a."id"::text AS "id", a."name", a."contentType", a."size"::float8 AS "size", a."width", a."height",
                a."thumbnailKey" IS NOT NULL AS "thumbnail"`);
    if (rows.length !== ids.length) return null;
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) as MessageAttachment);
  }

  /** Undoes claimForRoom when the message was not stored after all (a duplicate, a thread root gone). */
  async releaseRoomClaim(senderId: string, room: RoomMessage): Promise<void> {
    await this.prisma.rows(Prisma.sql`
      UPDATE "Attachment" SET "roomId" = NULL, "roomMessageId" = NULL, "sentAt" = NULL, "uploaderId" = ${senderId}::uuid
      WHERE "roomId" = ${room.roomId}::uuid AND "roomMessageId" = ${room.messageId}::uuid AND "deletedAt" IS NULL`);
  }

  /**
   * Marks deleted the attachments of one message of an ephemeral room (`messageId`), or of the
   * whole room; answers their keys, for the bytes to go at once.
   */
  async markRoomDeleted(roomId: string, messageId?: string): Promise<AttachmentKeys[]> {
    const ofMessage = messageId ? Prisma.sql`AND "roomMessageId" = ${messageId}::uuid` : Prisma.empty;
    return this.prisma.rows<AttachmentKeys>(Prisma.sql`
      UPDATE "Attachment" SET "deletedAt" = now()
      WHERE "roomId" = ${roomId}::uuid AND "deletedAt" IS NULL ${ofMessage}
      RETURNING "id"::text AS "id", "storageKey", "thumbnailKey"`);
  }

  /**
   * Marks deleted the ephemeral rooms' attachments sent more than `ttlSeconds` ago (their message
   * expired) or whose room's row is gone (a crash between the room's delete and theirs).
   */
  async markRoomsExpired(ttlSeconds: number): Promise<AttachmentKeys[]> {
    return this.prisma.rows<AttachmentKeys>(Prisma.sql`
      UPDATE "Attachment" a SET "deletedAt" = now()
      WHERE a."roomId" IS NOT NULL AND a."deletedAt" IS NULL
        AND (a."sentAt" < now() - make_interval(secs => ${ttlSeconds})
             OR NOT EXISTS (SELECT 1 FROM "Conversation" c WHERE c."id" = a."roomId"))
      RETURNING a."id"::text AS "id", a."storageKey", a."thumbnailKey"`);
  }

  /**
   * The ids `senderId` may not attach to a new message: not an upload of theirs (or deleted, or
   * no such upload), or already sent. Empty when all may be attached.
   */
  async sendProblems(senderId: string, ids: readonly string[]): Promise<SendProblem[]> {
    const rows = await this.prisma.rows<{ id: string; uploaderId: string | null; sent: boolean; deleted: boolean }>(Prisma.sql`
      SELECT "id", "uploaderId", "messageId" IS NOT NULL OR "roomId" IS NOT NULL AS "sent", "deletedAt" IS NOT NULL AS "deleted"
      FROM "Attachment" WHERE "id" = ANY (${[...ids]}::uuid[])`);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id): SendProblem[] => {
      const row = byId.get(id);
      if (!row || row.uploaderId !== senderId || row.deleted) return [{ id, problem: 'not_yours' }];
      return row.sent ? [{ id, problem: 'sent' }] : [];
    });
  }

  /** Marks uploads never sent within `maxAgeSeconds` deleted (a send can no longer take them); answers how many. */
  async markUnsentDeleted(maxAgeSeconds: number): Promise<number> {
    const rows = await this.prisma.rows<{ id: string }>(Prisma.sql`
      UPDATE "Attachment" SET "deletedAt" = now()
      WHERE "messageId" IS NULL AND "roomId" IS NULL AND "deletedAt" IS NULL AND "createdAt" < now() - make_interval(secs => ${maxAgeSeconds})
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
