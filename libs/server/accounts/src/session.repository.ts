import { Injectable } from '@nestjs/common';
import { PrismaService } from '@chatbox/server-db';

@Injectable()
export class SessionRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(userId: string, expiresAt: Date): Promise<{ id: string }> {
    return this.prisma.session.create({ data: { userId, expiresAt }, select: { id: true } });
  }

  /** The session if it exists, belongs to the user and has not expired. */
  findLive(sessionId: string, userId: string): Promise<{ id: string; createdAt: Date; expiresAt: Date } | null> {
    return this.prisma.session.findFirst({
      where: { id: sessionId, userId, expiresAt: { gt: new Date() } },
      select: { id: true, createdAt: true, expiresAt: true },
    });
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
