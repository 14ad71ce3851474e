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

/**
 * Extension (not in API.md): GET /api/me/blocks, everyone the caller blocked, the most recent
 * first (at most 1,000, so one list). `PUT /api/users/:id/block` blocks (204, idempotent),
 * `DELETE /api/users/:id/block` unblocks (204, idempotent). With a block between two people,
 * in either direction, neither can add the other to a group, open a direct conversation with the
 * other, or send into their direct conversation (403 `forbidden`).
 */
export const ZBlockList = z.object({ items: z.array(ZUser) });
export type TBlockList = z.infer<typeof ZBlockList>;
