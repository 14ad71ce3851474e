import { Injectable } from '@nestjs/common';
import type { TUserRole } from '@chatbox/contracts';
import { AppError } from '@chatbox/server-common';
import { Prisma } from '@chatbox/server-db';

/** The target user's state as an admin action finds it (locked for the rest of the transaction). */
export type AdminTarget = { id: string; role: TUserRole; deactivated: boolean };

/** Role and deactivation writes, each inside the admin action's transaction (with its audit entry). */
@Injectable()
export class AdminUsersRepository {
  /** The user, locked; 404 when there is none. */
  async lockTarget(tx: Prisma.TransactionClient, userId: string): Promise<AdminTarget> {
    const rows = await tx.$queryRaw<AdminTarget[]>(Prisma.sql`
      SELECT id, role::text AS role, "deactivatedAt" IS NOT NULL AS deactivated FROM "User" WHERE id = ${userId}::uuid FOR UPDATE`);
    if (!rows[0]) throw AppError.notFound('User');
    return rows[0];
  }

  /**
   * Refuses (409) an action that would leave no active admin. Every such action locks all active
   * admins in one order first, so two admins demoting each other at once cannot both succeed.
   */
  async keepOneAdmin(tx: Prisma.TransactionClient, losingAdminId: string): Promise<void> {
    const admins = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
      SELECT id FROM "User" WHERE role = 'admin' AND "deactivatedAt" IS NULL ORDER BY id FOR UPDATE`);
    if (admins.length === 1 && admins[0]!.id === losingAdminId) {
      throw AppError.conflict('There must always be at least one active administrator.');
    }
  }

  async setDeactivated(tx: Prisma.TransactionClient, userId: string, deactivated: boolean): Promise<void> {
    await tx.user.update({ where: { id: userId }, data: { deactivatedAt: deactivated ? new Date() : null }, select: { id: true } });
  }

  /** A password only its owner's next login knows how to replace: that login must choose a new one. */
  async setOneTimePassword(tx: Prisma.TransactionClient, userId: string, passwordHash: string): Promise<void> {
    await tx.user.update({ where: { id: userId }, data: { passwordHash, mustChangePassword: true }, select: { id: true } });
  }

  async setRole(tx: Prisma.TransactionClient, userId: string, role: TUserRole): Promise<void> {
    await tx.user.update({ where: { id: userId }, data: { role }, select: { id: true } });
  }
}
