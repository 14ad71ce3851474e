import type { TUserFields, TUserRole } from '@chatbox/contracts';

/** The User columns a `User` answer is made of (a Prisma `select`); userFieldsOf maps the row. */
export const USER_FIELDS_SELECT = { id: true, username: true, displayName: true, role: true, deactivatedAt: true } as const;

export type UserFieldsRow = { id: string; username: string; displayName: string; role: TUserRole; deactivatedAt: Date | null };

/** What toUser takes, from a row selected with USER_FIELDS_SELECT. */
export const userFieldsOf = (row: UserFieldsRow): TUserFields => ({
  id: row.id,
  username: row.username,
  displayName: row.displayName,
  role: row.role,
  deactivated: row.deactivatedAt !== null,
});
