import { z } from 'zod';
import { ZSearchQuery } from './common';

export const USER_ROLES = ['admin', 'member'] as const;
export type TUserRole = (typeof USER_ROLES)[number];

export const ZUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  online: z.boolean(),
  /** Version 2. Every user is a "member" until administration comes (a later issue). */
  role: z.enum(USER_ROLES),
  /** Version 2. Always false until administration comes. */
  deactivated: z.boolean(),
});
export type TUser = z.infer<typeof ZUser>;

/** A user as every answer and event shows them: version 2's role and deactivated included. */
export const toUser = (user: { id: string; username: string; displayName: string }, online: boolean): TUser => ({
  id: user.id,
  username: user.username,
  displayName: user.displayName,
  online,
  role: 'member',
  deactivated: false,
});

/** The sender as embedded in a message. */
export const ZUserRef = ZUser.pick({ id: true, username: true, displayName: true });
export type TUserRef = z.infer<typeof ZUserRef>;

export const ZUserSearchQuery = ZSearchQuery;
export type TUserSearchQuery = z.infer<typeof ZUserSearchQuery>;
