import type { z } from 'zod';
import {
  ZAdminSettings,
  ZAdminSettingsBody,
  ZAdminUserQuery,
  ZAuditEntry,
  ZAuditQuery,
  ZInvite,
  ZInviteBody,
  ZPasswordResetResponse,
  ZRegistrationInfo,
  ZRoleBody,
} from './admin';
import { ZAuthResponse, ZChangePasswordBody, ZLoginBody, ZRegisterBody } from './auth';
import { ZPageQuery, zPage } from './common';
import { ZAddMembersBody, ZConversation, ZCreateGroupBody, ZGroupSearchQuery, ZGroupSummary, ZMember, ZNotifyBody, ZOpenDirectBody, ZUpdateGroupBody } from './conversations';
import { ZHealth } from './health';
import { ZMessageSearchPage, ZMessageSearchQuery } from './message-search';
import { ZAttachment, ZChangesQuery, ZEditMessageBody, ZHistoryQuery, ZMessage, ZReadBody, ZReceiptList, ZSendMessageBody } from './messages';
import { ZMessagePageWithNotices } from './notices';
import { ZBlockList, ZMeSettings, ZUpdateMeBody, ZUser, ZUserSearchQuery } from './users';

export type THttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One REST route of the contract: its path under /api (`:name` parameters), what it takes and
 * what it answers, by zod schema. The OpenAPI document (GET /api/docs/openapi.json) is generated
 * from this list, and a test checks it against the routes the api registers.
 */
export type TRoute = {
  method: THttpMethod;
  path: string;
  summary: string;
  /** false: no login needed. */
  auth: boolean;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success status and its body (none for 204); `contentType` when not JSON. */
  status: number;
  response?: z.ZodType;
  contentType?: string;
  /** A `multipart/form-data` request carrying one file in this field (instead of a JSON body). */
  fileField?: string;
  /**
   * The route moves file bytes, for seconds at a time: a deployment may have it served by the
   * files process (apps/files), so that transfers never hold up the api's messages.
   */
  transfer?: true;
};

const r = (method: THttpMethod, path: string, summary: string, rest: Omit<TRoute, 'method' | 'path' | 'summary' | 'auth'> & { auth?: boolean }): TRoute => ({
  method,
  path,
  summary,
  auth: rest.auth ?? true,
  ...rest,
});

export const API_ROUTES: readonly TRoute[] = [
  r('GET', '/health', 'PostgreSQL and Redis reachable (503 when not)', { auth: false, status: 200, response: ZHealth }),
  r('POST', '/auth/register', 'Create an account and log in', { auth: false, body: ZRegisterBody, status: 201, response: ZAuthResponse }),
  r('POST', '/auth/login', 'Log in', { auth: false, body: ZLoginBody, status: 200, response: ZAuthResponse }),
  r('POST', '/auth/logout', 'End this login', { status: 204 }),
  r('POST', '/auth/password', 'Change the password: every other login ends', { body: ZChangePasswordBody, status: 200, response: ZAuthResponse }),
  r('GET', '/me', 'The caller', { status: 200, response: ZUser }),
  r('PATCH', '/me', 'Change display name or read-receipt sharing', { body: ZUpdateMeBody, status: 200, response: ZUser }),
  r('GET', '/me/settings', "The caller's own settings (read-receipt sharing)", { status: 200, response: ZMeSettings }),
  r('GET', '/registration', 'Who may register now: open, invite or closed', { auth: false, status: 200, response: ZRegistrationInfo }),
  r('GET', '/me/blocks', 'Everyone the caller blocked', { status: 200, response: ZBlockList }),
  r('GET', '/me/export', "Download the caller's data: a zip (account.json, memberships.json, conversations/<id>.json, attachments/)", {
    status: 200,
    contentType: 'application/zip',
    transfer: true,
  }),
  r('GET', '/users', 'Search users by name', { query: ZUserSearchQuery, status: 200, response: zPage(ZUser) }),
  r('GET', '/users/online', 'Users online now', { query: ZPageQuery, status: 200, response: zPage(ZUser) }),
  r('PUT', '/users/:id/block', 'Block a user', { status: 204 }),
  r('DELETE', '/users/:id/block', 'Unblock a user', { status: 204 }),
  r('POST', '/groups', 'Create a group', { body: ZCreateGroupBody, status: 201, response: ZConversation }),
  r('PATCH', '/groups/:id', 'Change a group: name, description, anonymous questions (owners)', { body: ZUpdateGroupBody, status: 200, response: ZConversation }),
  r('GET', '/groups', 'Search public groups', { query: ZGroupSearchQuery, status: 200, response: zPage(ZGroupSummary) }),
  r('POST', '/groups/:id/join', 'Join a public group', { status: 200, response: ZConversation }),
  r('GET', '/groups/:id/members', "A group's members", { query: ZPageQuery, status: 200, response: zPage(ZMember) }),
  r('POST', '/groups/:id/members', 'Add members (owners)', { body: ZAddMembersBody, status: 200, response: ZConversation }),
  r('DELETE', '/groups/:id/members/:userId', 'Remove a member, or leave', { status: 204 }),
  r('GET', '/conversations', "The caller's conversations, most recent first", { query: ZPageQuery, status: 200, response: zPage(ZConversation) }),
  r('POST', '/conversations/direct', 'Open (or find) the direct conversation with a user', { body: ZOpenDirectBody, status: 201, response: ZConversation }),
  r('PUT', '/conversations/:id/notify', "The caller's notification level", { body: ZNotifyBody, status: 200, response: ZConversation }),
  r('GET', '/conversations/:id/receipts', "Members' read pointers", { status: 200, response: ZReceiptList }),
  r('GET', '/conversations/:id/messages', 'History: a page of messages, with the membership notices placed in it', { query: ZHistoryQuery, status: 200, response: ZMessagePageWithNotices }),
  r('GET', '/conversations/:id/changes', 'Messages changed and membership notices after an eventSeq', { query: ZChangesQuery, status: 200, response: ZMessagePageWithNotices }),
  r('POST', '/conversations/:id/messages', 'Send a message', { body: ZSendMessageBody, status: 201, response: ZMessage }),
  r('POST', '/conversations/:id/read', 'Move the read pointer', { body: ZReadBody, status: 204 }),
  r('PATCH', '/conversations/:id/messages/:messageId', 'Edit a message (its sender)', { body: ZEditMessageBody, status: 200, response: ZMessage }),
  r('DELETE', '/conversations/:id/messages/:messageId', 'Delete a message', { status: 204 }),
  r('PUT', '/conversations/:id/messages/:messageId/reactions/:emoji', 'React', { status: 204 }),
  r('DELETE', '/conversations/:id/messages/:messageId/reactions/:emoji', 'Remove a reaction', { status: 204 }),
  r('POST', '/uploads', 'Upload a file (multipart field `file`) to attach to a message; over UPLOAD_MAX_BYTES: 413', { fileField: 'file', status: 201, response: ZAttachment, transfer: true }),
  r('GET', '/attachments/:id/file/:name', "An attachment's bytes (Range requests answered), to its uploader and the members of a conversation holding it", {
    status: 200,
    contentType: 'application/octet-stream',
    transfer: true,
  }),
  r('GET', '/attachments/:id/thumbnail', "An image attachment's thumbnail (WebP), to whoever may read the image", { status: 200, contentType: 'image/webp', transfer: true }),
  r('GET', '/search/messages', "Search the messages of the caller's conversations, best match first", { query: ZMessageSearchQuery, status: 200, response: ZMessageSearchPage }),
  r('GET', '/admin/users', 'Users with role and deactivation (admins)', { query: ZAdminUserQuery, status: 200, response: zPage(ZUser) }),
  r('POST', '/admin/users/:id/deactivate', 'Deactivate: sessions revoked, sockets closed, login refused (admins)', { status: 204 }),
  r('POST', '/admin/users/:id/reactivate', 'Reactivate (admins)', { status: 204 }),
  r('POST', '/admin/users/:id/role', 'Make admin or member (admins)', { body: ZRoleBody, status: 204 }),
  r('POST', '/admin/users/:id/password', 'Reset to a one-time password the user must change (admins)', { status: 200, response: ZPasswordResetResponse }),
  r('GET', '/admin/settings', 'Instance settings (admins)', { status: 200, response: ZAdminSettings }),
  r('PATCH', '/admin/settings', 'Change who may register (admins)', { body: ZAdminSettingsBody, status: 200, response: ZAdminSettings }),
  r('POST', '/admin/invites', 'A single-use, expiring invite code (admins)', { body: ZInviteBody, status: 201, response: ZInvite }),
  r('GET', '/admin/audit', 'The audit log, newest first (admins)', { query: ZAuditQuery, status: 200, response: zPage(ZAuditEntry) }),
];

const TRANSFER_PATHS = API_ROUTES.filter((route) => route.transfer).map((route) => new RegExp(`^/api${route.path.replace(/:\w+/g, '[^/]+')}$`));

/**
 * Whether a request path (`/api/...`, without its query) is a transfer route's: what the edge may
 * hand to the files process. Only exact route shapes count (not `/api/uploads/x`).
 */
export function isTransferPath(pathname: string): boolean {
  return TRANSFER_PATHS.some((pattern) => pattern.test(pathname));
}
