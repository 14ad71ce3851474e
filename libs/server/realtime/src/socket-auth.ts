import type { Socket } from 'socket.io';
import { AUTH_COOKIE } from '@chatbox/contracts';
import type { AuthPrincipal, TokenService } from '@chatbox/server-accounts';
import { isDatabaseUnavailable } from '@chatbox/server-common';

export type SocketData = {
  principal: AuthPrincipal;
  /** When the handshake's token ends; the socket is closed then. */
  expiresAt: Date;
  /** Settles once the socket is counted in presence; false when counting failed. */
  counted?: Promise<boolean>;
};

/** `auth.token` first (API clients), then the httpOnly cookie (the browser). */
export function handshakeToken(socket: Socket): string | null {
  const auth = socket.handshake.auth as { token?: unknown } | undefined;
  if (typeof auth?.token === 'string' && auth.token) return auth.token;
  const cookies = socket.handshake.headers.cookie ?? '';
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === AUTH_COOKIE) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * The handshake middleware (guards do not run there): a socket without a valid token of a live
 * session is refused with connect_error "unauthorized"; while the database cannot check the
 * session, with "unavailable" (try again); a login that must first choose a new password (after
 * an admin's reset), with "password_change_required".
 */
export function socketAuthMiddleware(tokens: TokenService) {
  return (socket: Socket, next: (err?: Error) => void): void => {
    const token = handshakeToken(socket);
    const verify = token ? tokens.verify(token) : Promise.resolve(null);
    verify.then(
      (verified) => {
        if (!verified) return next(new Error('unauthorized'));
        if (verified.principal.passwordChangeRequired) return next(new Error('password_change_required'));
        Object.assign(socket.data as SocketData, verified);
        next();
      },
      (err: unknown) => next(new Error(isDatabaseUnavailable(err) ? 'unavailable' : 'unauthorized')),
    );
  };
}

/** Node timers overflow past ~24.8 days; a longer wait is taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Closes the socket when its token ends (as logout closes it when the session is revoked): the
 * client then finds its session over and shows the login page, instead of chatting on with a
 * token nothing else accepts any more.
 */
export function closeAtExpiry(socket: Socket, expiresAt: Date): void {
  let timer: NodeJS.Timeout | undefined;
  const wait = () => {
    const left = expiresAt.getTime() - Date.now();
    if (left <= 0) return void socket.disconnect(true);
    timer = setTimeout(wait, Math.min(left, MAX_TIMER_MS));
  };
  socket.once('disconnect', () => clearTimeout(timer));
  wait();
}
