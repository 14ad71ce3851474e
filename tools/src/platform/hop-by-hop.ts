import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Headers about one connection only (RFC 9110 7.6.1): a proxy answers for its own connections. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * The headers of a request or answer as a proxy passes them on: without the hop-by-hop ones and
 * any that `Connection` names. Passed on, the api's `Keep-Alive: timeout=125` told the web
 * server's clients to keep a connection 125 s that the web server closes after 5 s; the next
 * request on it failed ("fetch failed" in a browser test).
 */
export function endToEndHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.has(name)));
}
