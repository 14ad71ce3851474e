import { z } from 'zod';
import { ZSearchQuery } from './common';

export const ZUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  online: z.boolean(),
});
export type TUser = z.infer<typeof ZUser>;

/** The sender as embedded in a message. */
export const ZUserRef = ZUser.pick({ id: true, username: true, displayName: true });
export type TUserRef = z.infer<typeof ZUserRef>;

export const ZUserSearchQuery = ZSearchQuery;
export type TUserSearchQuery = z.infer<typeof ZUserSearchQuery>;
