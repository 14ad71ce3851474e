import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The Content-Security-Policy of the web app's pages. Scripts run only with this response's
 * nonce (Next puts it on every script it renders, and 'strict-dynamic' lets those load their
 * chunks); nothing may frame a page; the page talks to its own origin only (REST and Socket.IO).
 * Style attributes stay allowed: React renders computed styles (avatar colours) inline.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Security headers of every answer of the web app (pages and assets). Next renders each page per
 * request and reads the nonce from the request's own CSP header, which is therefore always ours,
 * never the client's.
 */
export function setPageHeaders(req: IncomingMessage, res: ServerResponse): void {
  const policy = contentSecurityPolicy(randomBytes(16).toString('base64'));
  req.headers['content-security-policy'] = policy;
  delete req.headers['content-security-policy-report-only'];
  res.setHeader('Content-Security-Policy', policy);
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
}
