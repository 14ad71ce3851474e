import { z } from 'zod';
import { ZConversation } from './conversations';
import { ZMessage } from './messages';
import { ZUser } from './users';

/**
 * GET /api/me/export (version 2): 200 `application/zip`, streamed, with these files. Every
 * conversation the caller belongs to gets `conversations/<id>.json`; `attachments/` holds the
 * files of those conversations' messages' attachments, each as `attachments/<id>-<name>` (the
 * `id` and `name` of its `Attachment` in the message).
 */
export const EXPORT_FILES = {
  account: 'account.json',
  memberships: 'memberships.json',
  conversation: (id: string) => `conversations/${id}.json`,
  attachments: 'attachments/',
  attachment: (id: string, name: string) => `attachments/${id}-${name}`,
} as const;

/** account.json: the caller as others see them, plus what only they see. */
export const ZExportAccount = z.object({
  user: ZUser,
  shareReadReceipts: z.boolean(),
  createdAt: z.string(),
  exportedAt: z.string(),
});
export type TExportAccount = z.infer<typeof ZExportAccount>;

/** memberships.json: one entry per conversation, with when the caller joined it. */
export const ZExportMembership = z.object({ conversation: ZConversation, joinedAt: z.string() });
export const ZExportMemberships = z.object({ items: z.array(ZExportMembership) });
export type TExportMembership = z.infer<typeof ZExportMembership>;

/** conversations/<id>.json: the conversation as the caller sees it and every message, by seq. */
export const ZExportConversation = z.object({ conversation: ZConversation, messages: z.array(ZMessage) });
export type TExportConversation = z.infer<typeof ZExportConversation>;
