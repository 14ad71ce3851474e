import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { TAuditAction, TAuditEntry, TAuditQuery, TPage, TUserRef, ZId } from '@chatbox/contracts';
import { CursorDate, decodeCursor, encodeCursor, UserFieldsRow } from '@chatbox/server-common';
import { PrismaService } from '@chatbox/server-db';
import { AuditLogRepository, AuditRecord, AuditRow } from './audit-log.repository';

/** [createdAt, id] of the last entry of the page before. */
const AuditCursor = z.tuple([CursorDate, ZId]);

const refOf = (user: UserFieldsRow | null): TUserRef | null => user && { id: user.id, username: user.username, displayName: user.displayName };

const toEntry = (row: AuditRow): TAuditEntry => ({
  id: row.id,
  action: row.action as TAuditAction,
  actor: refOf(row.actor),
  target: refOf(row.target),
  details: (row.details ?? {}) as Record<string, unknown>,
  createdAt: row.createdAt.toISOString(),
});

/** The audit log: what admins did (written by the admin services), read in the admin area. */
@Injectable()
export class AuditLogService {
  constructor(
    private readonly repo: AuditLogRepository,
    private readonly prisma: PrismaService,
  ) {}

  /** For an action that had no transaction of its own to share (a message's moderation). */
  record(entry: AuditRecord): Promise<void> {
    return this.repo.record(this.prisma, entry);
  }

  async page(query: TAuditQuery): Promise<TPage<TAuditEntry>> {
    const key = decodeCursor(query.cursor, AuditCursor);
    const rows = await this.repo.page(key && { createdAt: key[0], id: key[1] }, query.limit + 1);
    const items = rows.slice(0, query.limit);
    const last = rows.length > query.limit ? rows[query.limit - 1] : undefined;
    return { items: items.map(toEntry), nextCursor: last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null };
  }
}
