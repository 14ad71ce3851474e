import { z } from 'zod';
import { ZSearchQuery, ZPageQuery, zText } from './common';
import { USER_ROLES, ZUserRef } from './users';

/** API.md "Accounts and administration": everything under /api/admin answers 403 to a non-admin. */

export const REGISTRATION_MODES = ['open', 'invite', 'closed'] as const;
export type TRegistrationMode = (typeof REGISTRATION_MODES)[number];

/** GET /api/admin/users?q=&cursor=&limit=: `User` pages, deactivated users included. */
export const ZAdminUserQuery = ZSearchQuery;
export type TAdminUserQuery = z.infer<typeof ZAdminUserQuery>;

/** POST /api/admin/users/:id/role */
export const ZRoleBody = z.strictObject(
  { role: z.enum(USER_ROLES, { error: `must be one of ${USER_ROLES.join(', ')}` }) },
  { error: 'is not an allowed field' },
);
export type TRoleBody = z.infer<typeof ZRoleBody>;

/**
 * Extension of API.md: POST /api/admin/users/:id/password answers 200 `{password}`, a one-time
 * password shown to the admin once. Every session of the user is revoked and every socket closed;
 * logging in with it answers `passwordChangeRequired: true` (see ZAuthResponse).
 */
export const ZPasswordResetResponse = z.object({ password: z.string() });
export type TPasswordResetResponse = z.infer<typeof ZPasswordResetResponse>;

/** GET and PATCH /api/admin/settings */
export const ZAdminSettings = z.object({ registration: z.enum(REGISTRATION_MODES) });
export type TAdminSettings = z.infer<typeof ZAdminSettings>;
export const ZAdminSettingsBody = z.strictObject(
  { registration: z.enum(REGISTRATION_MODES, { error: `must be one of ${REGISTRATION_MODES.join(', ')}` }) },
  { error: 'is not an allowed field' },
);
export type TAdminSettingsBody = z.infer<typeof ZAdminSettingsBody>;

/**
 * Extension of API.md: GET /api/registration (no login) answers `{registration}`, so the sign-up
 * page can say at once that it needs an invite or is closed.
 */
export const ZRegistrationInfo = ZAdminSettings;
export type TRegistrationInfo = TAdminSettings;

export const INVITE_HOURS_DEFAULT = 72;
export const INVITE_HOURS_MAX = 24 * 30;

/** POST /api/admin/invites: 201 `{code, expiresAt}`; each code registers one account. */
export const ZInviteBody = z.strictObject(
  {
    expiresInHours: z
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(INVITE_HOURS_MAX, `must be at most ${INVITE_HOURS_MAX}`)
      .default(INVITE_HOURS_DEFAULT),
  },
  { error: 'is not an allowed field' },
);
export type TInviteBody = z.infer<typeof ZInviteBody>;
export const ZInvite = z.object({ code: z.string(), expiresAt: z.string() });
export type TInvite = z.infer<typeof ZInvite>;

/** What `register` takes as `inviteCode` (codes the api makes are 22 base64url characters). */
export const ZInviteCode = zText().min(1, 'is required').max(64, 'is not a valid invite code');

/** The web sign-up page reads an invite link's code from this query parameter. */
export const INVITE_QUERY_PARAM = 'invite';

/** What the audit log records (`action` of an entry). */
export const AUDIT_ACTIONS = [
  'user.deactivate',
  'user.reactivate',
  'user.role',
  'user.password_reset',
  'settings.update',
  'invite.create',
  'message.delete',
  'queue.action',
] as const;
export type TAuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Extension of API.md: GET /api/admin/audit?cursor=&limit= answers `{items: AuditEntry[],
 * nextCursor}`, newest first. `actor` is null for the server's `npm run admin` command;
 * `details` holds ids and settings only (`{role}`, `{registration}`, `{expiresAt}`,
 * `{conversationId, messageId}`, a queue dashboard action's `{queue, operation}`), never a password, code or message text.
 */
export const ZAuditEntry = z.object({
  id: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  actor: ZUserRef.nullable(),
  target: ZUserRef.nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type TAuditEntry = z.infer<typeof ZAuditEntry>;
export const ZAuditQuery = ZPageQuery;
export type TAuditQuery = z.infer<typeof ZAuditQuery>;
