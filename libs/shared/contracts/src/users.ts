import { z } from 'zod';
import { ZSearchQuery, zName } from './common';
import { LIMITS } from './limits';

export const USER_ROLES = ['admin', 'member'] as const;
export type TUserRole = (typeof USER_ROLES)[number];

export const ZUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  online: z.boolean(),
  /** Version 2: "admin" may use /api/admin and delete any message it can see. */
  role: z.enum(USER_ROLES),
  /** Version 2: an admin deactivated the account (no login; hidden from search; messages stay). */
  deactivated: z.boolean(),
});
export type TUser = z.infer<typeof ZUser>;

/** What a stored user row gives toUser: repositories select exactly this (USER_FIELDS in SQL). */
export type TUserFields = { id: string; username: string; displayName: string; role: TUserRole; deactivated: boolean };

/** A user as every answer and event shows them: version 2's role and deactivated included. */
export const toUser = (user: TUserFields, online: boolean): TUser => ({
  id: user.id,
  username: user.username,
  displayName: user.displayName,
  online,
  role: user.role,
  deactivated: user.deactivated,
});

/** The sender as embedded in a message. */
export const ZUserRef = ZUser.pick({ id: true, username: true, displayName: true });
export type TUserRef = z.infer<typeof ZUserRef>;

export const ZUserSearchQuery = ZSearchQuery;
export type TUserSearchQuery = z.infer<typeof ZUserSearchQuery>;

/**
 * Extension (not in API.md): GET /api/me/blocks, everyone the caller blocked, the most recent
 * first (at most 1,000, so one list). `PUT /api/users/:id/block` blocks (204, idempotent),
 * `DELETE /api/users/:id/block` unblocks (204, idempotent). With a block between two people,
 * in either direction, neither can add the other to a group, open a direct conversation with the
 * other, or send into their direct conversation (403 `forbidden`).
 */
export const ZBlockList = z.object({ items: z.array(ZUser) });
export type TBlockList = z.infer<typeof ZBlockList>;

/** PATCH /api/me (version 2): 200 User. Fields left out stay as they are. */
export const ZUpdateMeBody = z.strictObject(
  {
    displayName: zName(LIMITS.displayNameMax).optional(),
    shareReadReceipts: z.boolean({ error: 'must be true or false' }).optional(),
  },
  { error: 'is not an allowed field' },
);
export type TUpdateMeBody = z.infer<typeof ZUpdateMeBody>;

/**
 * Extension (not in API.md): GET /api/me/settings, the caller's own settings, which the `User`
 * others see does not carry. `PATCH /api/me` changes them.
 */
export const ZMeSettings = z.object({ shareReadReceipts: z.boolean() });
export type TMeSettings = z.infer<typeof ZMeSettings>;
