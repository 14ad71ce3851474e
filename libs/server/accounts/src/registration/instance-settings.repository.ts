import { Injectable } from '@nestjs/common';
import type { TRegistrationMode } from '@chatbox/contracts';
import { Prisma, PrismaService } from '@chatbox/server-db';

export type InstanceSettings = { registration: TRegistrationMode; firstAdminClaimed: boolean };

/** The row every installation has (id 1, made by the migration). */
const ROW = { id: 1 } as const;

/**
 * Claims the first-admin right in the registering user's transaction; true for exactly one
 * registration ever. The row lock makes a second first sign-up wait for the first to commit
 * (then it finds the right taken) or roll back (then it takes it): never two admins, never none.
 */
export async function claimFirstAdmin(tx: Prisma.TransactionClient): Promise<boolean> {
  const { count } = await tx.instanceSettings.updateMany({ where: { ...ROW, firstAdminClaimed: false }, data: { firstAdminClaimed: true } });
  return count === 1;
}

@Injectable()
export class InstanceSettingsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async read(): Promise<InstanceSettings> {
    return this.prisma.instanceSettings.findUniqueOrThrow({ where: ROW, select: { registration: true, firstAdminClaimed: true } });
  }

  async setRegistration(tx: Prisma.TransactionClient, registration: TRegistrationMode): Promise<void> {
    await tx.instanceSettings.update({ where: ROW, data: { registration, updatedAt: new Date() }, select: { id: true } });
  }
}
