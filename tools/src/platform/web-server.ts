import http, { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { REPO_ROOT } from '../paths';
import { endToEndHeaders } from './hop-by-hop';
import { setPageHeaders } from './page-headers';
import { webRouteOf } from './web-route';

/**
 * Serves the built web app and forwards /api and /socket.io (WebSocket upgrades included) to the
 * api named at run time by API_ORIGIN or API_PORT, and the contract's transfer routes to the files
 * process named by FILES_ORIGIN or FILES_PORT (to the api, which serves them too, when neither is set). Next's own rewrites cannot do this: `next
 * build` bakes their destination into routes-manifest.json, so the api address would be fixed
 * when the app is built (tests and deployments choose it when they start); the production build
 * has none (apps/web/next.config.ts), so this forwarder is the only way to the api.
 */

type NextApp = {
  prepare(): Promise<void>;
  getRequestHandler(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  getUpgradeHandler(): (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>;
};
type CreateNextApp = (options: { dev: boolean; dir: string; hostname: string; port: number }) => NextApp;

// required untyped on purpose: next's typings retype process.env globally (NODE_ENV as a union),
// which would break the server build's own uses of process.env
// eslint-disable-next-line @typescript-eslint/no-require-imports
const next = require('next') as CreateNextApp;

// The lockfile lacks other platforms' @next/swc entries (see .ci/run); Next would otherwise run npm
// at every start to "patch" it, which fails offline and only costs time.
process.env.NEXT_IGNORE_INCORRECT_LOCKFILE ??= '1';

async function main(): Promise<void> {
  const port = Number(process.env.WEB_PORT ?? 3000);
  const host = process.env.WEB_HOST ?? '0.0.0.0';
  const api = originOf('API_ORIGIN', process.env.API_ORIGIN ?? `http://127.0.0.1:${process.env.API_PORT ?? 3001}`);
  const filesOrigin = process.env.FILES_ORIGIN ?? (process.env.FILES_PORT ? `http://127.0.0.1:${process.env.FILES_PORT}` : undefined);
  const files = filesOrigin ? originOf('FILES_ORIGIN', filesOrigin) : api;
  const target = targetOf(api);
  const filesTarget = targetOf(files);

  const app = next({ dev: false, dir: path.join(REPO_ROOT, 'apps/web'), hostname: host, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const upgrade = app.getUpgradeHandler();

  const server = http.createServer((req, res) => {
    const route = webRouteOf(req.url ?? '');
    if (route === 'api') proxyRequest(target, req, res);
    else if (route === 'files') proxyRequest(filesTarget, req, res);
    else if (route === 'refuse') res.writeHead(404, { 'content-type': 'application/json' }).end(NOT_FOUND);
    else {
      setPageHeaders(req, res);
      void handle(req, res);
    }
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const route = webRouteOf(req.url ?? '');
    // no transfer route is a WebSocket: the api answers such an upgrade as it answers any other
    if (route === 'api' || route === 'files') proxyUpgrade(target, req, socket, head);
    else if (route === 'refuse') refuseUpgrade(socket);
    else void upgrade(req, socket, head);
  });
  server.listen(port, host, () => console.log(`web listening on http://${host}:${port} (api at ${api.origin}, transfers at ${files.origin})`));

  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

type Target = { host: string; port: number };

function originOf(variable: string, value: string): URL {
  const url = new URL(value);
  if (url.protocol !== 'http:') throw new Error(`${variable} must be an http:// URL (got ${url.protocol})`);
  return url;
}

const targetOf = (origin: URL): Target => ({ host: origin.hostname, port: Number(origin.port || 80) });

const NOT_FOUND = JSON.stringify({ error: { code: 'not_found', message: 'No such path; the api lives under /api and /socket.io.' } });

function refuseUpgrade(socket: Duplex): void {
  socket.on('error', () => socket.destroy());
  socket.end(
    `HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(NOT_FOUND)}\r\n\r\n${NOT_FOUND}`,
  );
}

/**
 * The client's address for the api (per-IP rate limits). Overwritten, never appended to: a
 * header the client sent itself would otherwise let it choose the IP the api counts.
 */
function forwardedFor(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? '';
}

function proxyRequest(target: Target, req: IncomingMessage, res: ServerResponse): void {
  const upstream = http.request(
    { ...target, method: req.method, path: req.url, headers: { ...endToEndHeaders(req.headers), 'x-forwarded-for': forwardedFor(req) } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, endToEndHeaders(answer.headers));
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (res.headersSent) return void res.destroy();
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'unavailable', message: 'The api is not reachable' } }));
  });
  req.pipe(upstream);
}

/** A WebSocket upgrade is a raw byte stream once the request head is passed on. */
function proxyUpgrade(target: Target, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const upstream = net.connect(target.port, target.host, () => {
    const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      if (req.rawHeaders[i].toLowerCase() !== 'x-forwarded-for') lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    }
    lines.push(`X-Forwarded-For: ${forwardedFor(req)}`);
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  const close = () => {
    upstream.destroy();
    socket.destroy();
  };
  upstream.on('error', close);
  socket.on('error', close);
  upstream.on('close', close);
  socket.on('close', close);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
