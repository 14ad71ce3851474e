import { Injectable } from '@nestjs/common';
import type { TAdminSettings, TAdminSettingsBody, TInvite, TInviteBody } from '@chatbox/contracts';
import { createInvite, InstanceSettingsRepository } from '@chatbox/server-accounts';
import { PrismaService } from '@chatbox/server-db';
import { AuditLogRepository } from './audit-log.repository';

/** Who may sign up (open / invite / closed) and the invites; each change audited in its transaction. */
@Injectable()
export class RegistrationAdminService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly settings: InstanceSettingsRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  async current(): Promise<TAdminSettings> {
    const { registration } = await this.settings.read();
    return { registration };
  }

  async update(actorId: string, body: TAdminSettingsBody): Promise<TAdminSettings> {
    await this.prisma.$transaction(async (tx) => {
      await this.settings.setRegistration(tx, body.registration);
      await this.audit.record(tx, { actorId, action: 'settings.update', details: { registration: body.registration } });
    });
    return this.current();
  }

  /** A single-use code; the audit entry has its expiry, never the code. */
  async invite(actorId: string, body: TInviteBody): Promise<TInvite> {
    const expiresAt = new Date(Date.now() + body.expiresInHours * 3600 * 1000);
    const code = await this.prisma.$transaction(async (tx) => {
      const created = await createInvite(tx, actorId, expiresAt);
      await this.audit.record(tx, { actorId, action: 'invite.create', details: { expiresAt: expiresAt.toISOString() } });
      return created;
    });
    return { code, expiresAt: expiresAt.toISOString() };
  }
}
