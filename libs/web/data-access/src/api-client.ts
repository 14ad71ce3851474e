import { CSRF_HEADER, CSRF_HEADER_VALUE, TOKEN_DELIVERY_COOKIE_ONLY, TOKEN_DELIVERY_HEADER } from '@chatbox/contracts';
import type {
  ErrorCode,
  TAdminSettings,
  TAuditEntry,
  TBlockList,
  TChangePasswordBody,
  TForbiddenReason,
  TInvite,
  TRegistrationInfo,
  TRegistrationMode,
  TUserRole,
  TConversation,
  TCookieAuthResponse,
  TCreateGroupInput,
  TUpdateGroupBody,
  TErrorBody,
  TFieldErrors,
  TGroupSummary,
  TLoginBody,
  TMember,
  TMeSettings,
  TMessage,
  TMessagePage,
  TMessageSearchPage,
  TMessagePageWithNotices,
  TNotice,
  TNotifyLevel,
  TPage,
  TReceiptList,
  TRegisterBody,
  TUpdateMeBody,
  TUser,
} from '@chatbox/contracts';

/** An error answer of the api (or the network), with the contract's code and field errors. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly fields: TFieldErrors = {},
    /** On rate_limited: how long the server asks to wait (Retry-After). */
    readonly retryAfterSeconds?: number,
    /** On some 403s: which rule refused (e.g. `password_change_required`). */
    readonly reason?: TForbiddenReason,
  ) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Query = Record<string, string | number | undefined>;

/** Called on any 401 outside the auth forms: the session expired or was revoked. */
let onUnauthorized: () => void = () => undefined;
export const setUnauthorizedHandler = (handler: () => void): void => {
  onUnauthorized = handler;
};

/** Called on a 403 `password_change_required`: this login must choose a new password first. */
let onPasswordChangeRequired: () => void = () => undefined;
export const setPasswordChangeHandler = (handler: () => void): void => {
  onPasswordChangeRequired = handler;
};

async function request<T>(method: Method, path: string, body?: unknown, query?: Query, quiet401 = false): Promise<T> {
  const qs = query
    ? new URLSearchParams(Object.entries(query).flatMap(([k, v]): Array<[string, string]> => (v === undefined ? [] : [[k, String(v)]]))).toString()
    : '';
  let res: Response;
  try {
    // same origin: the httpOnly session cookie goes along; the token never touches scripts
    res = await fetch(`/api${path}${qs ? `?${qs}` : ''}`, {
      method,
      credentials: 'same-origin',
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        // proves to the api's CSRF check that the change comes from our own page
        ...(method === 'GET' ? {} : { [CSRF_HEADER]: CSRF_HEADER_VALUE }),
        // login and register then answer {user}: the token stays in the httpOnly cookie, out of scripts' reach
        ...(path.startsWith('/auth/') ? { [TOKEN_DELIVERY_HEADER]: TOKEN_DELIVERY_COOKIE_ONLY } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the server');
  }
  if (res.status === 204) return undefined as T;
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = (data as TErrorBody | null)?.error;
    if (res.status === 401 && !quiet401) onUnauthorized();
    if (err?.reason === 'password_change_required') onPasswordChangeRequired();
    const retryAfter = Number(res.headers.get('retry-after')) || err?.retryAfterSeconds;
    throw new ApiError(res.status, err?.code ?? 'internal', err?.message ?? `Request failed (${res.status})`, err?.fields, retryAfter, err?.reason);
  }
  return data as T;
}

/** The account's data export (a zip): the browser downloads it itself, the session cookie going along. */
export const EXPORT_URL = '/api/me/export';

/** The REST half of the contract (API.md), typed from @chatbox/contracts. */
export const api = {
  register: (body: TRegisterBody) => request<TCookieAuthResponse>('POST', '/auth/register', body, undefined, true),
  login: (body: TLoginBody) => request<TCookieAuthResponse>('POST', '/auth/login', body, undefined, true),
  logout: () => request<void>('POST', '/auth/logout', undefined, undefined, true),
  me: () => request<TUser>('GET', '/me', undefined, undefined, true),
  changePassword: (body: TChangePasswordBody) => request<TCookieAuthResponse>('POST', '/auth/password', body, undefined, true),
  registration: () => request<TRegistrationInfo>('GET', '/registration', undefined, undefined, true),
  /** /me again, but a 401 here means the session ended: the unauthorized handler runs. */
  checkSession: () => request<TUser>('GET', '/me'),
  settings: () => request<TMeSettings>('GET', '/me/settings'),
  updateMe: (body: TUpdateMeBody) => request<TUser>('PATCH', '/me', body),

  searchUsers: (q: string, limit = 20) => request<TPage<TUser>>('GET', '/users', undefined, { q, limit }),
  onlineUsers: () => request<TUser[] | TPage<TUser>>('GET', '/users/online').then(itemsOf),
  openDirect: (userId: string) => request<TConversation>('POST', '/conversations/direct', { userId }),
  blocks: () => request<TBlockList>('GET', '/me/blocks').then((list) => list.items),
  block: (userId: string) => request<void>('PUT', `/users/${enc(userId)}/block`),
  unblock: (userId: string) => request<void>('DELETE', `/users/${enc(userId)}/block`),

  createGroup: (body: TCreateGroupInput) => request<TConversation>('POST', '/groups', body),
  searchGroups: (q: string) => request<TPage<TGroupSummary>>('GET', '/groups', undefined, { q, limit: 50 }).then(itemsOf),
  joinGroup: (id: string) => request<TConversation | undefined>('POST', `/groups/${enc(id)}/join`),
  members: (id: string) => request<TPage<TMember> | TMember[]>('GET', `/groups/${enc(id)}/members`, undefined, { limit: 100 }).then(itemsOf),
  /** Version 2, owners: name, description, anonymous questions. */
  updateGroup: (id: string, body: TUpdateGroupBody) => request<TConversation>('PATCH', `/groups/${enc(id)}`, body),
  addMembers: (id: string, userIds: string[]) => request<unknown>('POST', `/groups/${enc(id)}/members`, { userIds }),
  removeMember: (id: string, userId: string) => request<void>('DELETE', `/groups/${enc(id)}/members/${enc(userId)}`),

  conversations: () => request<TPage<TConversation> | TConversation[]>('GET', '/conversations', undefined, { limit: 100 }).then(itemsOf),
  history: (id: string, q: HistoryQuery) => api.historyPage(id, q).then((page) => page.items),
  /** A history page with the membership notices placed in it. */
  historyPage: (id: string, q: HistoryQuery) =>
    request<TMessagePageWithNotices>('GET', `/conversations/${enc(id)}/messages`, undefined, q).then(withNotices),
  sendMessage: (id: string, clientMsgId: string, body: string, threadRootId?: string, { attachmentIds = [], anonymous = false }: { attachmentIds?: readonly string[]; anonymous?: boolean } = {}) =>
    request<TMessage>('POST', `/conversations/${enc(id)}/messages`, {
      clientMsgId,
      body,
      ...(threadRootId ? { threadRootId } : {}),
      ...(attachmentIds.length > 0 ? { attachmentIds } : {}),
      ...(anonymous ? { anonymous: true } : {}),
    }),
  editMessage: (id: string, messageId: string, body: string) => request<TMessage>('PATCH', `/conversations/${enc(id)}/messages/${enc(messageId)}`, { body }),
  deleteMessage: (id: string, messageId: string) => request<void>('DELETE', `/conversations/${enc(id)}/messages/${enc(messageId)}`),
  react: (id: string, messageId: string, emoji: string) => request<void>('PUT', `/conversations/${enc(id)}/messages/${enc(messageId)}/reactions/${enc(emoji)}`),
  unreact: (id: string, messageId: string, emoji: string) => request<void>('DELETE', `/conversations/${enc(id)}/messages/${enc(messageId)}/reactions/${enc(emoji)}`),
  changes: (id: string, after: number) => request<TMessagePageWithNotices>('GET', `/conversations/${enc(id)}/changes`, undefined, { after, limit: 100 }).then(withNotices),
  receipts: (id: string) => request<TReceiptList>('GET', `/conversations/${enc(id)}/receipts`).then((list) => list.items),
  searchMessages: (q: string, cursor?: string) =>
    request<TMessageSearchPage>('GET', '/search/messages', undefined, { q, limit: SEARCH_PAGE, ...(cursor ? { cursor } : {}) }),
  markRead: (id: string, seq: number) => request<void>('POST', `/conversations/${enc(id)}/read`, { seq }),
  setNotify: (id: string, level: TNotifyLevel) => request<TConversation>('PUT', `/conversations/${enc(id)}/notify`, { level }),
};

/** The admin area's half (API.md "Accounts and administration"); every call is 403 for a non-admin. */
export const adminApi = {
  users: (q: string, cursor?: string) => request<TPage<TUser>>('GET', '/admin/users', undefined, { q, cursor, limit: 50 }),
  deactivate: (id: string) => request<void>('POST', `/admin/users/${enc(id)}/deactivate`),
  reactivate: (id: string) => request<void>('POST', `/admin/users/${enc(id)}/reactivate`),
  setRole: (id: string, role: TUserRole) => request<void>('POST', `/admin/users/${enc(id)}/role`, { role }),
  resetPassword: (id: string) => request<{ password: string }>('POST', `/admin/users/${enc(id)}/password`),
  settings: () => request<TAdminSettings>('GET', '/admin/settings'),
  setRegistration: (registration: TRegistrationMode) => request<TAdminSettings>('PATCH', '/admin/settings', { registration }),
  createInvite: (expiresInHours: number) => request<TInvite>('POST', '/admin/invites', { expiresInHours }),
  audit: (cursor?: string) => request<TPage<TAuditEntry>>('GET', '/admin/audit', undefined, { cursor, limit: 50 }),
};

const enc = encodeURIComponent;
const SEARCH_PAGE = 20;

type HistoryQuery = { before?: number; after?: number; around?: number; limit?: number; thread?: string };

/** A page as the api answers it; `notices` is [] from a server without them. */
const withNotices = (page: TMessagePage & { notices?: TNotice[] }): TMessagePageWithNotices => ({ ...page, notices: page.notices ?? [] });

/** API.md says lists are `{items, nextCursor}`; a bare array is accepted too so the client reads either. */
function itemsOf<T>(answer: T[] | TPage<T>): T[] {
  return Array.isArray(answer) ? answer : answer.items;
}
