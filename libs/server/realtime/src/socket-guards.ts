import type { Socket } from 'socket.io';
import type { ClientToServerEvents, TErrorBody } from '@chatbox/contracts';
import type { RateLimitRule } from '@chatbox/server-config';

type Next = (err?: Error) => void;

/**
 * The handshake's Origin check, like the REST CSRF rule. Browsers send Origin on every
 * cross-origin request and on every WebSocket upgrade, so a page on another site cannot open a
 * socket with the user's cookie. Allowed: the web origin; the api's own origin as the browser saw
 * it (host, or the X-Forwarded-Host the Next.js proxy sets: same-origin through the proxy, e.g.
 * 127.0.0.1:3000 vs localhost:3000); and a missing Origin (a same-origin poll, or a non-browser
 * client, which holds its own token and is no CSRF risk).
 */
export function socketOriginMiddleware(webOrigin: string) {
  return (socket: Socket, next: Next): void => {
    const { origin, host } = socket.handshake.headers;
    const forwardedHost = socket.handshake.headers['x-forwarded-host'];
    if (origin === undefined || origin === webOrigin) return next();
    const originHost = hostOf(origin);
    const ownHosts = [host, ...(typeof forwardedHost === 'string' ? forwardedHost.split(',') : [])].map((h) => h?.trim());
    if (originHost !== null && ownHosts.includes(originHost)) return next();
    next(new Error('forbidden'));
  };
}

const hostOf = (origin: string): string | null => {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
};

const EVENTS: ReadonlySet<string> = new Set<keyof ClientToServerEvents>(['message:send', 'read', 'typing']);

const errorAck = (code: TErrorBody['error']['code'], message: string): TErrorBody => ({ error: { code, message } });

/**
 * Per-socket packet middleware: unknown events are answered with an error ack instead of
 * silence, and a socket sending more than `rule.limit` events per window gets `rate_limited`
 * acks; one that keeps going at 3x the limit is disconnected. Counting is in memory: a socket
 * lives on one process.
 */
export function attachSocketGuards(socket: Socket, rule: RateLimitRule): void {
  let windowStart = Date.now();
  let count = 0;
  socket.use((packet, next) => {
    const [event] = packet;
    const ack = packet.length > 1 && typeof packet[packet.length - 1] === 'function' ? (packet[packet.length - 1] as (a: TErrorBody) => void) : undefined;
    const now = Date.now();
    if (now - windowStart >= rule.windowSeconds * 1000) {
      windowStart = now;
      count = 0;
    }
    count += 1;
    if (count > rule.limit * 3) return void socket.disconnect(true);
    if (count > rule.limit) {
      // the same answer a refused REST call gets, with the wait a client should honour
      const retryAfterSeconds = Math.max(1, Math.ceil((windowStart + rule.windowSeconds * 1000 - now) / 1000));
      return ack?.({ error: { code: 'rate_limited', message: `Too many requests; try again in ${retryAfterSeconds} s.`, retryAfterSeconds } });
    }
    if (typeof event !== 'string' || !EVENTS.has(event)) return ack?.(errorAck('not_found', 'No such event.'));
    next();
  });
}
