import type { Response } from 'express';
import { AUTH_COOKIE } from '@chatbox/contracts';
import type { AppConfig } from '@chatbox/server-config';

/** The browser's session cookie: httpOnly so scripts never see the token. */
export function setAuthCookie(res: Response, config: AppConfig, token: string, expiresAt: Date): void {
  res.cookie(AUTH_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.auth.cookieSecure,
    path: '/',
    expires: expiresAt,
  });
}

export function clearAuthCookie(res: Response, config: AppConfig): void {
  res.clearCookie(AUTH_COOKIE, { httpOnly: true, sameSite: 'lax', secure: config.auth.cookieSecure, path: '/' });
}
