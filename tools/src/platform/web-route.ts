import path from 'node:path';
import { isTransferPath } from '@chatbox/contracts';

/**
 * Where the web server sends a request: `api` (forwarded with the real peer address), `files` (a
 * transfer route of the contract: forwarded to the files process when there is one, else to the
 * api, which serves the whole contract), `web` (the Next.js app) or `refuse` (404).
 *
 * Only the canonical spelling `/api...` or `/socket.io...` is forwarded. Any other spelling that
 * some router could still read as the api (`/API`, `//api`, `/%61pi`, `/x/../api`, `/api.`,
 * absolute-form `http://host/api`...) is refused rather than handed to Next: the api's own
 * router matches case-insensitively, and a path that reached it by a second route would carry
 * whatever X-Forwarded-For the client chose (issue 20, finding 1). Refusing costs nothing: no
 * page of the web app lives under such a path.
 */
export type WebRoute = 'api' | 'files' | 'web' | 'refuse';

const CANONICAL = /^\/(api|socket\.io)(\/|\?|$)/;
const API_LIKE = /^\/(api|socket\.io)(\/|$)/;

export function webRouteOf(url: string): WebRoute {
  if (CANONICAL.test(url)) return isTransferPath(url.split('?', 1)[0]!) ? 'files' : 'api';
  return API_LIKE.test(loosePath(url)) ? 'refuse' : 'web';
}

/** The path as the most forgiving router could read it. */
function loosePath(url: string): string {
  let p = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, ''); // absolute-form request target
  p = p.split(/[?#]/, 1)[0] ?? '';
  for (let round = 0; round < 3; round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(p);
    } catch {
      break;
    }
    if (decoded === p) break;
    p = decoded; // %2561 -> %61 -> a
  }
  p = p.normalize('NFKC').toUpperCase().toLowerCase().replace(/\\/g, '/');
  p = path.posix.normalize(`/${p}`); // dot segments, repeated slashes
  // per segment: matrix parameters (`;x`), trailing dots and spaces (`api.`, `api%20`)
  return p
    .split('/')
    .map((segment) => segment.replace(/;.*$/, '').replace(/[.\s]+$/, ''))
    .join('/');
}
