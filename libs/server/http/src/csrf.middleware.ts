import type { NextFunction, Request, Response } from 'express';
import { AUTH_COOKIE, CSRF_HEADER, CSRF_HEADER_VALUE } from '@chatbox/contracts';
import { bearerToken } from '@chatbox/server-accounts';
import { AppError } from '@chatbox/server-common';
import { QUEUE_DASHBOARD_PATH } from './queue-dashboard';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The queue dashboard (bull-board) is a page the api serves itself, whose script cannot add our
 * header. There the browser's own word stands in for it: Sec-Fetch-Site `same-origin` (no page
 * can set or forge it) together with an Origin that is ours. A browser that sends neither gets
 * the header rule, i.e. a read-only dashboard.
 */
const FETCH_METADATA_PATH = `${QUEUE_DASHBOARD_PATH}/`;

/**
 * Refuses cross-site state changes. The cookie rides along on any request a browser makes, so a
 * state-changing request the cookie authenticates must prove it comes from our own pages:
 *  - it carries `X-ChatBox-CSRF: 1` (a custom header: cross-origin pages cannot send it without a
 *    CORS preflight, and CORS only allows the web origin);
 *  - its Origin, when present, is the web origin or the api's own origin (same-origin through the
 *    web server's forwarder); Sec-Fetch-Site, when present, is not `cross-site`.
 * Any state-changing request with a foreign Origin is refused too, cookie or not (login CSRF).
 * Bearer requests are exempt: a browser never attaches an Authorization header on its own. A
 * request counts as a bearer request only when the JWT strategy reads its token from that header
 * (the same extractor), so the cookie cannot authenticate a request the check let through as bearer.
 */
export function csrfMiddleware(webOrigin: string, onRefuse: (req: Request, res: Response, err: AppError) => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get('origin');
    const foreignOrigin = origin !== undefined && origin !== webOrigin && origin !== `${req.protocol}://${req.host}`;
    const crossSite = req.get('sec-fetch-site') === 'cross-site';
    const bearer = bearerToken(req) !== null;
    const cookie = (req.cookies as Record<string, string> | undefined)?.[AUTH_COOKIE] !== undefined;
    const vouchedSameOrigin =
      req.path.startsWith(FETCH_METADATA_PATH) && origin !== undefined && !foreignOrigin && req.get('sec-fetch-site') === 'same-origin';
    const refused =
      foreignOrigin || (!bearer && cookie && !vouchedSameOrigin && (crossSite || req.get(CSRF_HEADER) !== CSRF_HEADER_VALUE));
    if (!refused) return next();
    onRefuse(req, res, AppError.forbidden('Cross-site request refused (CSRF check).'));
  };
}
