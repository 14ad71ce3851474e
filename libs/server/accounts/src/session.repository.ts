import { Injectable } from '@nestjs/common';
import { PrismaService } from '@chatbox/server-db';

@Injectable()
export class SessionRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(userId: string, expiresAt: Date): Promise<{ id: string }> {
    return this.prisma.session.create({ data: { userId, expiresAt }, select: { id: true } });
  }

  /** The session if it exists, belongs to the user and has not expired. */
  findLive(sessionId: string, userId: string): Promise<{ id: string } | null> {
    return this.prisma.session.findFirst({
      where: { id: sessionId, userId, expiresAt: { gt: new Date() } },
      select: { id: true },
    });
  }

  async deleteAllOfUser(userId: string): Promise<number> {
    return (await this.prisma.session.deleteMany({ where: { userId } })).count;
  }

  async delete(sessionId: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { id: sessionId } });
  }
}
