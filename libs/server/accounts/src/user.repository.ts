import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import { AppError, foldKey } from '@chatbox/server-common';

export type UserRow = { id: string; username: string; displayName: string; passwordHash: string };

const USER_COLUMNS = { id: true, username: true, displayName: true, passwordHash: true } as const;

@Injectable()
export class UserRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Creates the user and its membership of `all` in one transaction. The newcomer starts with
   * `all`'s history read: only what is said after they arrived counts as unread.
   */
  async createWithAllMembership(input: { username: string; displayName: string; passwordHash: string }): Promise<UserRow> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const user = await tx.user.create({
          data: { ...input, usernameKey: foldKey(input.username) },
          select: USER_COLUMNS,
        });
        const all = await tx.conversation.findFirstOrThrow({ where: { kind: 'all' }, select: { id: true, lastSeq: true } });
        await tx.membership.create({ data: { conversationId: all.id, userId: user.id, role: 'member', readSeq: all.lastSeq } });
        return user;
      });
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        throw AppError.conflict('That username is taken.', { username: 'is taken' });
      }
      throw err;
    }
  }

  findByUsername(username: string): Promise<UserRow | null> {
    return this.prisma.user.findUnique({ where: { usernameKey: foldKey(username) }, select: USER_COLUMNS });
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.prisma.user.update({ where: { id }, data: { passwordHash }, select: { id: true } });
  }

  findById(id: string): Promise<UserRow | null> {
    return this.prisma.user.findUnique({ where: { id }, select: USER_COLUMNS });
  }

  /** The user's own settings; null when the user is gone. */
  settings(id: string): Promise<{ shareReadReceipts: boolean } | null> {
    return this.prisma.user.findUnique({ where: { id }, select: { shareReadReceipts: true } });
  }

  /** Changes what the user may change about themself; null when the user is gone. */
  async updateProfile(id: string, changes: { displayName?: string; shareReadReceipts?: boolean }): Promise<UserRow | null> {
    const [user] = await this.prisma.user.updateManyAndReturn({ where: { id }, data: changes, select: USER_COLUMNS });
    return user ?? null;
  }
}
