import { z } from 'zod';
import { LIMITS } from './limits';
import { ZPageQuery } from './common';

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

export const ZUserSearchQuery = ZPageQuery.extend({
  q: z
    .string()
    .max(LIMITS.searchQueryMax, `must be at most ${LIMITS.searchQueryMax} characters`)
    .transform((s) => s.normalize('NFKC').trim())
    .default(''),
});
export type TUserSearchQuery = z.infer<typeof ZUserSearchQuery>;
