import { Injectable } from '@nestjs/common';
import { toId } from '@chatbox/contracts';
import { Prisma, PrismaService } from '@chatbox/server-db';

@Injectable()
export class SessionRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(userId: string, expiresAt: Date): Promise<{ id: string }> {
    return this.prisma.session.create({ data: { userId, expiresAt }, select: { id: true } });
  }

  /**
   * The session if it exists, belongs to the user and has not expired. Every authenticated
   * request asks, so it takes pg's direct path. The ids come from a token's claims: anything but
   * an id as the api wrote it (lower case) matches nothing, and must not reach a uuid cast.
   */
  async findLive(sessionId: string, userId: string): Promise<{ id: string; createdAt: Date; expiresAt: Date } | null> {
    if (toId(sessionId) !== sessionId || toId(userId) !== userId) return null;
    const rows = await this.prisma.rows<{ id: string; createdAt: Date; expiresAt: Date }>(Prisma.sql`
      SELECT "id", "createdAt", "expiresAt" FROM "Session"
      WHERE "id" = ${sessionId}::uuid AND "userId" = ${userId}::uuid AND "expiresAt" > ${new Date()}::timestamptz`);
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
