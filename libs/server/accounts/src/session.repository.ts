import { Injectable } from '@nestjs/common';
import { toId, type TUserRole } from '@chatbox/contracts';
import { Prisma, PrismaService } from '@chatbox/server-db';

export type LiveSession = { id: string; createdAt: Date; expiresAt: Date; role: TUserRole; mustChangePassword: boolean };

@Injectable()
export class SessionRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(userId: string, expiresAt: Date): Promise<{ id: string }> {
    return this.prisma.session.create({ data: { userId, expiresAt }, select: { id: true } });
  }

  /**
   * The session if it exists, belongs to a user who is not deactivated and has not expired, with
   * what every request needs to know about that user. Every authenticated request asks, so it
   * takes pg's direct path. The ids come from a token's claims: anything but an id as the api
   * wrote it (lower case) matches nothing, and must not reach a uuid cast.
   */
  async findLive(sessionId: string, userId: string): Promise<LiveSession | null> {
    if (toId(sessionId) !== sessionId || toId(userId) !== userId) return null;
    const rows = await this.prisma.rows<LiveSession>(Prisma.sql`
      SELECT s."id", s."createdAt", s."expiresAt", u."role"::text AS "role", u."mustChangePassword"
      FROM "Session" s JOIN "User" u ON u."id" = s."userId"
      WHERE s."id" = ${sessionId}::uuid AND s."userId" = ${userId}::uuid AND s."expiresAt" > ${new Date()}::timestamptz
        AND u."deactivatedAt" IS NULL`);
    return rows[0] ?? null;
  }

  /** Moves a live session's expiry (never revives one that has already expired or was deleted). */
  async extend(sessionId: string, expiresAt: Date): Promise<void> {
    await this.prisma.session.updateMany({ where: { id: sessionId, expiresAt: { gt: new Date() } }, data: { expiresAt } });
  }

  async deleteAllOfUser(userId: string): Promise<number> {
    return (await this.prisma.session.deleteMany({ where: { userId } })).count;
  }

  async delete(sessionId: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { id: sessionId } });
  }
}
