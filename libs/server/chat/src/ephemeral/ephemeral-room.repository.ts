import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import type { TConversationKind } from '@chatbox/contracts';

export type Author = { id: string; username: string; displayName: string };

/** What a send into an ephemeral room reads from PostgreSQL (see sendContexts). */
export type SendContext = { membersVersion: number; author: Author; mentioned: string[] };

/**
 * What an ephemeral room reads from PostgreSQL: the group's row, its members and their read
 * pointers. Reads, plus two writes of numbers only (a read pointer, the activity time): never
 * a message's text.
 */
@Injectable()
export class EphemeralRoomRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Whether the conversation is an ephemeral group; null when there is no such conversation. */
  async isEphemeral(conversationId: string): Promise<boolean | null> {
    const row = await this.prisma.conversation.findUnique({ where: { id: conversationId }, select: { ephemeral: true } });
    return row ? row.ephemeral : null;
  }

  /** The sender's names and the members a body mentions (by usernameKey), in one query. */
  async authorAndMentioned(conversationId: string, senderId: string, names: readonly string[]): Promise<{ author: Author | null; mentioned: string[] }> {
    const rows = await this.prisma.rows<Author & { sender: boolean; mentioned: boolean }>(Prisma.sql`
      SELECT u."id"::text AS "id", u."username", u."displayName", u."id" = ${senderId}::uuid AS "sender",
             (u."usernameKey" = ANY(${[...names]}::text[])
              AND EXISTS (SELECT 1 FROM "Membership" mb WHERE mb."conversationId" = ${conversationId}::uuid AND mb."userId" = u."id")) AS "mentioned"
      FROM "User" u
      WHERE u."id" = ${senderId}::uuid OR u."usernameKey" = ANY(${[...names]}::text[])
      ORDER BY u."usernameKey"`);
    const author = rows.find((r) => r.sender);
    return {
      author: author ? { id: author.id, username: author.username, displayName: author.displayName } : null,
      mentioned: rows.filter((r) => r.mentioned).map((r) => r.id),
    };
  }

  /**
   * Everything each send of a batch needs from PostgreSQL, in one statement (EphemeralSendContexts
   * groups them): whether the sender may post (a member of the live room), the membersVersion
   * naming its recipients, the sender's names and the members the body mentions (`names`: the
   * candidate username keys, space-separated). A send that may not post has no row.
   */
  async sendContexts(sends: ReadonlyArray<{ conversationId: string; senderId: string; names: string }>): Promise<Map<number, SendContext>> {
    const rows = await this.prisma.rows<Author & { ord: number; membersVersion: number; mentioned: string[] }>(Prisma.sql`
      SELECT t."ord", u."id"::text AS "id", u."username", u."displayName", c."membersVersion",
             CASE WHEN t."names" = '' THEN ARRAY[]::text[] ELSE ARRAY(
               SELECT mu."id"::text FROM "User" mu JOIN "Membership" mm ON mm."userId" = mu."id" AND mm."conversationId" = c."id"
               WHERE mu."usernameKey" = ANY(string_to_array(t."names", ' ')) ORDER BY mu."usernameKey") END AS "mentioned"
      FROM unnest(${sends.map((_, i) => i)}::int[], ${sends.map((s) => s.conversationId)}::uuid[],
                  ${sends.map((s) => s.senderId)}::uuid[], ${sends.map((s) => s.names)}::text[]) AS t("ord", "conversationId", "senderId", "names")
      JOIN "Conversation" c ON c."id" = t."conversationId" AND c."archivedAt" IS NULL
      JOIN "Membership" mb ON mb."conversationId" = c."id" AND mb."userId" = t."senderId"
      JOIN "User" u ON u."id" = t."senderId"`);
    return new Map(
      rows.map((row) => [
        Number(row.ord),
        { membersVersion: Number(row.membersVersion), author: { id: row.id, username: row.username, displayName: row.displayName }, mentioned: row.mentioned },
      ]),
    );
  }

  /** Moves the read pointer forward only, never past `lastSeq` (the room's counter in Redis). */
  async markRead(conversationId: string, userId: string, seq: number, lastSeq: number): Promise<{ readSeq: number; moved: boolean; shares: boolean }> {
    const rows = await this.prisma.rows<{ readSeq: number; previous: number; shares: boolean }>(Prisma.sql`
      UPDATE "Membership" AS mb SET "readSeq" = GREATEST(mb."readSeq", LEAST(${seq}::int, ${lastSeq}::int))
      FROM (SELECT "readSeq" FROM "Membership" WHERE "conversationId" = ${conversationId}::uuid AND "userId" = ${userId}::uuid) AS old
      WHERE mb."conversationId" = ${conversationId}::uuid AND mb."userId" = ${userId}::uuid
      RETURNING mb."readSeq", old."readSeq" AS "previous",
                (SELECT u."shareReadReceipts" FROM "User" u WHERE u."id" = ${userId}::uuid) AS "shares"`);
    if (!rows[0]) return { readSeq: 0, moved: false, shares: false };
    return { readSeq: Number(rows[0].readSeq), moved: Number(rows[0].readSeq) !== Number(rows[0].previous), shares: rows[0].shares };
  }

  /** "Most recent activity first" in conversation lists: the time only. */
  async touch(conversationId: string): Promise<void> {
    await this.prisma.$executeRaw`UPDATE "Conversation" SET "lastActivityAt" = now() WHERE "id" = ${conversationId}::uuid`;
  }

  /** The caller's live ephemeral rooms (only `conversationId` when given), for search. */
  async roomsOf(userId: string, conversationId?: string): Promise<Array<{ id: string; kind: TConversationKind; name: string | null }>> {
    return this.prisma.rows(Prisma.sql`
      SELECT c."id"::text AS "id", c."kind"::text AS "kind", c."name"
      FROM "Membership" mb JOIN "Conversation" c ON c."id" = mb."conversationId"
      WHERE mb."userId" = ${userId}::uuid AND c."ephemeral" AND c."archivedAt" IS NULL
        ${conversationId ? Prisma.sql`AND c."id" = ${conversationId}::uuid` : Prisma.empty}`);
  }

  /** Which of these rooms still have their row (the others are orphans of a crash: the sweeper's). */
  async existing(roomIds: readonly string[]): Promise<Set<string>> {
    if (roomIds.length === 0) return new Set();
    const rows = await this.prisma.rows<{ id: string }>(Prisma.sql`
      SELECT "id"::text AS "id" FROM "Conversation" WHERE "id" = ANY(${[...roomIds]}::uuid[])`);
    return new Set(rows.map((r) => r.id));
  }
}
