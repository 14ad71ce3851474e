import { randomUUID } from 'node:crypto';
import type {
  ErrorCode,
  TAuthResponse,
  TConversation,
  TErrorBody,
  TGroupSummary,
  TMember,
  TMessage,
  TMessagePage,
  TMessageSearchPage,
  TPage,
  TUser,
} from '@chatbox/contracts';

/** An error answer of the api, or `network` when it could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
  ) {
    super(message);
  }
}

/** One hit of GET /api/search/messages (API.md "Search"). */

type Query = Record<string, string | number | undefined>;

/** The REST half of the public contract (API.md), with the bearer token of the session. */
export class RestClient {
  token: string | null = null;
  /** Called when an authenticated request is refused (the session expired or was revoked). */
  onUnauthorized: () => void = () => undefined;

  constructor(readonly apiUrl: string) {}

  private async request<T>(method: string, path: string, body?: unknown, query: Query = {}): Promise<T> {
    const qs = new URLSearchParams(Object.entries(query).flatMap(([k, v]): Array<[string, string]> => (v === undefined ? [] : [[k, String(v)]])));
    let res: Response;
    try {
      res = await fetch(`${this.apiUrl}/api${path}${qs.size > 0 ? `?${qs}` : ''}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch {
      throw new ApiError(0, 'network', `cannot reach ${this.apiUrl}`);
    }
    if (res.status === 204) return undefined as T;
    const data: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const err = (data as TErrorBody | null)?.error;
      if (res.status === 401 && this.token) this.onUnauthorized();
      const fields = err?.fields ? Object.entries(err.fields).map(([f, why]) => `${f} ${why}`) : [];
      const message = fields.length > 0 ? fields.join('; ') : (err?.message ?? `the server answered ${res.status}`);
      throw new ApiError(res.status, err?.code ?? 'internal', message);
    }
    return data as T;
  }

  /** Resolves when the api answers at all (GET /api/health, whatever its status). */
  reachable = () => this.request<unknown>('GET', '/health').catch((err: unknown) => {
    if (err instanceof ApiError && err.code === 'network') throw err;
  });
  register = (username: string, password: string, displayName?: string) =>
    this.request<TAuthResponse>('POST', '/auth/register', { username, password, ...(displayName ? { displayName } : {}) });
  login = (username: string, password: string) => this.request<TAuthResponse>('POST', '/auth/login', { username, password });
  logout = () => this.request<void>('POST', '/auth/logout');
  me = () => this.request<TUser>('GET', '/me');

  /** Every conversation of the caller, all pages. */
  async conversations(): Promise<TConversation[]> {
    const all: TConversation[] = [];
    for (let cursor: string | null | undefined = undefined; ; ) {
      const page: TPage<TConversation> = await this.request('GET', '/conversations', undefined, { limit: 100, cursor });
      all.push(...page.items);
      if (!page.nextCursor) return all;
      cursor = page.nextCursor;
    }
  }

  openDirect = (userId: string) => this.request<TConversation>('POST', '/conversations/direct', { userId });
  history = (conversationId: string, query: { after?: number; before?: number; around?: number; limit?: number }) =>
    this.request<TMessagePage>('GET', `/conversations/${conversationId}/messages`, undefined, query);
  changes = (conversationId: string, after: number) =>
    this.request<TMessagePage>('GET', `/conversations/${conversationId}/changes`, undefined, { after, limit: 100 });
  send = (conversationId: string, body: string, threadRootId?: string, anonymous?: true) =>
    this.request<TMessage>('POST', `/conversations/${conversationId}/messages`, {
      clientMsgId: randomUUID(),
      body,
      ...(threadRootId ? { threadRootId } : {}),
      ...(anonymous ? { anonymous } : {}),
    });
  markRead = (conversationId: string, seq: number) => this.request<void>('POST', `/conversations/${conversationId}/read`, { seq });
  react = (conversationId: string, messageId: string, emoji: string, on: boolean) =>
    this.request<void>(on ? 'PUT' : 'DELETE', `/conversations/${conversationId}/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`);

  users = (q: string, limit = 20) => this.request<TPage<TUser>>('GET', '/users', undefined, { q, limit });
  online = () => this.request<TPage<TUser>>('GET', '/users/online', undefined, { limit: 100 });
  groups = (q: string, limit = 20) => this.request<TPage<TGroupSummary>>('GET', '/groups', undefined, { q, limit });
  createGroup = (name: string, visibility: 'public' | 'private') => this.request<TConversation>('POST', '/groups', { name, visibility });
  join = (groupId: string) => this.request<TConversation>('POST', `/groups/${groupId}/join`);
  members = (groupId: string) => this.request<TPage<TMember>>('GET', `/groups/${groupId}/members`, undefined, { limit: 100 });
  addMembers = (groupId: string, userIds: string[]) => this.request<TConversation>('POST', `/groups/${groupId}/members`, { userIds });
  removeMember = (groupId: string, userId: string) => this.request<void>('DELETE', `/groups/${groupId}/members/${userId}`);
  searchMessages = (q: string) => this.request<TMessageSearchPage>('GET', '/search/messages', undefined, { q, limit: 20 });
}
