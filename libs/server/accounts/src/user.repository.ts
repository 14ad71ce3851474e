import { Injectable } from '@nestjs/common';
import type { TUserRole } from '@chatbox/contracts';
import { Prisma, PrismaService } from '@chatbox/server-db';
import { AppError, foldKey, USER_FIELDS_SELECT } from '@chatbox/server-common';
import { claimFirstAdmin } from './registration/instance-settings.repository';
import { consumeInvite } from './registration/invite.repository';

export type UserRow = {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  role: TUserRole;
  deactivatedAt: Date | null;
  mustChangePassword: boolean;
};

const USER_COLUMNS = { ...USER_FIELDS_SELECT, passwordHash: true, mustChangePassword: true } as const;

export type NewUser = { username: string; displayName: string; passwordHash: string };

@Injectable()
export class UserRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Creates the user and its membership of `all` in one transaction. The newcomer starts with
   * `all`'s history read: only what is said after they arrived counts as unread. With
   * `inviteCodeHash` the invite is used up in the same transaction (none left: 403, nothing
   * stored). `mayBeFirst`: the first admin may not be claimed yet, so try to claim it here.
   */
  async createWithAllMembership(input: NewUser, options: { inviteCodeHash?: string; mayBeFirst: boolean }): Promise<UserRow> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        let user = await tx.user.create({
          data: { ...input, usernameKey: foldKey(input.username) },
          select: USER_COLUMNS,
        });
        if (options.inviteCodeHash !== undefined && !(await consumeInvite(tx, options.inviteCodeHash, user.id))) {
          throw AppError.forbidden('This invite is not valid: it is unknown, used or expired.', 'invite_invalid');
        }
        if (options.mayBeFirst && (await claimFirstAdmin(tx))) {
          user = await tx.user.update({ where: { id: user.id }, data: { role: 'admin' }, select: USER_COLUMNS });
        }
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

  /** A new password; `mustChange`: it is a one-time password an admin set. */
  async updatePasswordHash(id: string, passwordHash: string, mustChange = false): Promise<void> {
    await this.prisma.user.update({ where: { id }, data: { passwordHash, mustChangePassword: mustChange }, select: { id: true } });
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
