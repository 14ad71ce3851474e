import type { Request } from 'express';
import { foldKey } from '@chatbox/server-common';
import type { RateLimitName } from '@chatbox/server-config';

/**
 * Who a limit counts: `_ip` limits the client IP (req.ip: X-Forwarded-For is honoured only from
 * the peers TRUST_PROXY names); `_user` limits the authenticated user, or before login the
 * username in the body (validation has not run yet, so anything non-string counts as "-").
 */
export function rateLimitSubject(name: RateLimitName, req: Request): string {
  if (name.endsWith('_ip')) return req.ip ?? req.socket.remoteAddress ?? 'unknown';
  const principal = (req as Request & { user?: { userId?: string } }).user;
  if (principal?.userId) return userSubject(principal.userId);
  const username = (req.body as { username?: unknown } | undefined)?.username;
  return typeof username === 'string' ? `name:${foldKey(username.slice(0, 256))}` : 'name:-';
}

/** The subject of a per-user limit; the socket gateway counts on the same one as REST. */
export const userSubject = (userId: string): string => `user:${userId}`;
