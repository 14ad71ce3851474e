import type { Request } from 'express';
import { AUTH_COOKIE } from '@chatbox/contracts';

/** "<scheme> <value>", as passport-jwt read it before: the first two words of the header. */
const AUTH_HEADER = /(\S+)\s+(\S+)/;

/**
 * The access token of a REST request: the Bearer header first (API clients), then the httpOnly
 * cookie (the browser). Never the query string.
 */
export function requestToken(req: Request): string | null {
  const header = req.headers.authorization;
  const words = typeof header === 'string' ? AUTH_HEADER.exec(header) : null;
  if (words && words[1].toLowerCase() === 'bearer' && words[2]) return words[2];
  const cookies = req.cookies as Record<string, string> | undefined;
  return cookies?.[AUTH_COOKIE] || null;
}
