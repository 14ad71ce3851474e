import { Injectable } from '@nestjs/common';
import type { TAuditAction } from '@chatbox/contracts';
import { Prisma, PrismaService } from '@chatbox/server-db';
import { USER_FIELDS_SELECT, UserFieldsRow } from '@chatbox/server-common';

/** One admin action; `actorId` null: the server's `npm run admin` command. */
export type AuditRecord = {
  actorId: string | null;
  action: TAuditAction;
  targetUserId?: string | null;
  /** Ids and settings only: never a password, an invite code or a message's text. */
  details?: Prisma.InputJsonObject;
};

export type AuditRow = {
  id: string;
  action: string;
  details: Prisma.JsonValue;
  createdAt: Date;
  actor: UserFieldsRow | null;
  target: UserFieldsRow | null;
};

@Injectable()
export class AuditLogRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Written in the transaction of the action it records, where there is one. */
  async record(db: Prisma.TransactionClient, entry: AuditRecord): Promise<void> {
    await db.auditLog.create({
      data: { actorId: entry.actorId, action: entry.action, targetUserId: entry.targetUserId ?? null, details: entry.details ?? {} },
      select: { id: true },
    });
  }

  /** Newest first, after (createdAt, id) of the last entry of the page before. */
  page(before: { createdAt: Date; id: string } | undefined, limit: number): Promise<AuditRow[]> {
    return this.prisma.auditLog.findMany({
      where: before && { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
      select: { id: true, action: true, details: true, createdAt: true, actor: { select: USER_FIELDS_SELECT }, target: { select: USER_FIELDS_SELECT } },
    });
  }
}
