import type { Request } from 'express';
import { foldKey } from '@chatbox/server-common';
import type { RateLimitName } from '@chatbox/server-config';

/**
 * Who a limit counts: `_ip` limits the client IP (req.ip: X-Forwarded-For is honoured only from
 * the peers TRUST_PROXY names); `_user` limits the authenticated user. The per-username limits of
 * login and sign-up are counted by LoginThrottle and the auth controller, not by this subject.
 */
export function rateLimitSubject(name: RateLimitName, req: Request): string {
  if (name.endsWith('_ip')) return clientIp(req);
  const principal = (req as Request & { user?: { userId?: string } }).user;
  return userSubject(principal?.userId ?? '-');
}

/** The client's address as Express resolved it (X-Forwarded-For only from TRUST_PROXY peers). */
export const clientIp = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** The subject of a per-username limit: the NFKC, case-folded name, so ＵＳＥＲ and user share one. */
export const usernameSubject = (username: string): string => `name:${foldKey(username.slice(0, 256))}`;

/** The subject of a per-user limit; the socket gateway counts on the same one as REST. */
export const userSubject = (userId: string): string => `user:${userId}`;
