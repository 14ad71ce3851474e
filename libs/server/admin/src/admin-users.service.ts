import { Injectable, Logger } from '@nestjs/common';
import type { TAdminUserQuery, TPage, TUser, TUserRole } from '@chatbox/contracts';
import { AccountsService } from '@chatbox/server-accounts';
import { UserDirectoryService } from '@chatbox/server-chat';
import { AppError } from '@chatbox/server-common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import { AdminUsersRepository, AdminTarget } from './admin-users.repository';
import { AuditLogRepository } from './audit-log.repository';

/** Null: the server's own `npm run admin` command, not a user. */
export type ActorId = string | null;

/**
 * The admins' user management (API.md "Accounts and administration"). Each action changes the
 * user and writes its audit entry in one transaction; repeating an action changes nothing and
 * writes nothing. Sessions and sockets end after the commit (a deactivated user's tokens already
 * stop working at the commit: the session check reads deactivatedAt).
 */
@Injectable()
export class AdminUsersService {
  private readonly logger = new Logger(AdminUsersService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly repo: AdminUsersRepository,
    private readonly audit: AuditLogRepository,
    private readonly accounts: AccountsService,
    private readonly directory: UserDirectoryService,
  ) {}

  /** Everyone, deactivated users included, in the order of people search. */
  list(query: TAdminUserQuery): Promise<TPage<TUser>> {
    return this.directory.search(query, 'everyone');
  }

  async deactivate(actorId: ActorId, userId: string): Promise<void> {
    if (actorId === userId) throw AppError.conflict('You cannot deactivate yourself.');
    await this.change(userId, async (tx, target) => {
      if (target.deactivated) return false;
      if (target.role === 'admin') await this.repo.keepOneAdmin(tx, userId);
      await this.repo.setDeactivated(tx, userId, true);
      await this.audit.record(tx, { actorId, action: 'user.deactivate', targetUserId: userId });
      return true;
    });
    const revoked = await this.accounts.signOutEverywhere(userId);
    this.logger.log(`user ${userId} deactivated by ${actorId ?? 'the server'}; ${revoked} session(s) revoked`);
  }

  async reactivate(actorId: ActorId, userId: string): Promise<void> {
    await this.change(userId, async (tx, target) => {
      if (!target.deactivated) return false;
      await this.repo.setDeactivated(tx, userId, false);
      await this.audit.record(tx, { actorId, action: 'user.reactivate', targetUserId: userId });
      return true;
    });
  }

  /** Takes effect on the user's next request (every request reads the role with the session). */
  async setRole(actorId: ActorId, userId: string, role: TUserRole): Promise<boolean> {
    const changed = await this.change(userId, async (tx, target) => {
      if (target.role === role) return false;
      if (target.role === 'admin' && !target.deactivated) await this.repo.keepOneAdmin(tx, userId);
      await this.repo.setRole(tx, userId, role);
      await this.audit.record(tx, { actorId, action: 'user.role', targetUserId: userId, details: { role } });
      return true;
    });
    // the api processes remember sessions with their user's role (SessionCache)
    if (changed) await this.accounts.roleChanged(userId);
    return changed;
  }

  /** A one-time password (answered once); every login of the user ends. */
  async resetPassword(actorId: ActorId, userId: string): Promise<string> {
    const { password, passwordHash } = await this.accounts.newOneTimePassword();
    await this.change(userId, async (tx) => {
      await this.repo.setOneTimePassword(tx, userId, passwordHash);
      await this.audit.record(tx, { actorId, action: 'user.password_reset', targetUserId: userId });
      return true;
    });
    await this.accounts.signOutEverywhere(userId);
    return password;
  }

  /** Runs work on the locked target in one transaction; answers whether it changed anything. */
  private change(userId: string, work: (tx: Prisma.TransactionClient, target: AdminTarget) => Promise<boolean>): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => work(tx, await this.repo.lockTarget(tx, userId)));
  }
}
