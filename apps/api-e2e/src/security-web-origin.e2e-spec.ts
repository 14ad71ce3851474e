import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { freePort, launchApi, launchWeb, ManagedProcess, REPO_ROOT, stopProcess, waitForHttp } from '@chatbox/tools';
import { io } from 'socket.io-client';
import { HTTP_KEEP_ALIVE_DEFAULT_SECONDS } from '@chatbox/server-config';
import { ApiClient, connectSocket, RecordingSocket, uniqueUsername } from '@chatbox/server-testing';

/**
 * The web origin (tools/src/platform/web-server.ts + the built Next.js app) in front of a real
 * api: whatever the path's spelling, a request reaches the api only through the forwarder, which
 * sets X-Forwarded-For to its peer's address. Between web server and api sits a tap that records
 * the head of every request the api receives. Issue 20, finding 1.
 */
const SPOOFED = '203.0.113.5';
const REAL = '127.0.0.1';
const LOGIN_IP_LIMIT = 3;
const SOCKETS_PER_ADDRESS = 2;

/** Spellings of /api that a case-insensitive, decoding or normalising router would take for it. */
const API_SPELLINGS = [
  '/API', '/Api', '/aPI', '//api', '///api', '/%61pi', '/%41PI', '/%2561pi', '/ap%69', '/api.', '/API.', '/api%2e', '/api%20',
  '/x/../api', '/x/../API', '/./api', '/%2e/api', '/x/%2e%2e/api', '/api;x', '/%2fapi', '/\\api',
];
const SOCKET_SPELLINGS = [
  '/SOCKET.IO', '/Socket.io', '/socket.IO', '//socket.io', '/%73ocket.io', '/%53OCKET.IO', '/socket%2eio', '/socket.io.', '/socket.io%20',
  '/x/../socket.io', '/x/../SOCKET.IO', '/./socket.io', '/socket.io;x', '/\\socket.io',
];

type Head = { line: string; forwardedFor: string[] };

/** A TCP pipe to the api that records every request head passing through it (keep-alive too). */
async function startTap(apiPort: number): Promise<{ port: number; heads: Head[]; close: () => void }> {
  const heads: Head[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(apiPort, REAL);
    let seen = '';
    let parsedUpTo = 0;
    client.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      const headPattern = /(?:^|\r\n)([A-Z]+ \S+ HTTP\/1\.1)\r\n([\s\S]*?)\r\n\r\n/g;
      headPattern.lastIndex = parsedUpTo;
      for (let m = headPattern.exec(seen); m; m = headPattern.exec(seen)) {
        const forwardedFor = [...m[2]!.matchAll(/^x-forwarded-for:[ \t]*(.*)$/gim)].map((h) => h[1]!.trim());
        heads.push({ line: m[1]!, forwardedFor });
        parsedUpTo = headPattern.lastIndex;
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, REAL, resolve));
  return {
    port,
    heads,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** An HTTP request with the path sent exactly as written (fetch would normalise it). */
function rawRequest(port: number, method: string, rawPath: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: REAL, port, method, path: rawPath, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A WebSocket upgrade request; resolves with the status line of the answer, or 'closed'. */
function rawUpgrade(port: number, rawPath: string, forwardedFor: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, REAL, () => {
      socket.write(
        [
          `GET ${rawPath} HTTP/1.1`,
          `Host: ${REAL}:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          'Sec-WebSocket-Version: 13',
          `X-Forwarded-For: ${forwardedFor}`,
          '',
          '',
        ].join('\r\n'),
      );
    });
    let answer = '';
    const done = (line: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(line);
    };
    const timer = setTimeout(() => done(answer.split('\r\n')[0] || 'no answer'), 5_000);
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n\r\n')) done(answer.split('\r\n')[0]!);
    });
    socket.on('error', () => done('closed'));
    socket.on('close', () => done(answer.split('\r\n')[0] || 'closed'));
  });
}

describe('security: the web origin reaches the api only through the forwarder', { timeout: 120_000 }, () => {
  const procs: ManagedProcess[] = [];
  let tap: Awaited<ReturnType<typeof startTap>>;
  let webPort: number;

  before(async () => {
    const apiPort = await freePort();
    webPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      API_HOST: REAL,
      API_PORT: String(apiPort),
      WEB_HOST: REAL,
      WEB_PORT: String(webPort),
      WEB_ORIGIN: `http://${REAL}:${webPort}`,
      // counters of this file only (the runner deletes `<prefix>*` afterwards)
      REDIS_PREFIX: `${process.env.REDIS_PREFIX ?? 'chatbox-test'}-web${process.pid}`,
      RATE_LIMIT_LOGIN_IP: `${LOGIN_IP_LIMIT}/600`,
      RATE_LIMIT_LOGIN_USER: '1000/600',
      SOCKETS_PER_ADDRESS: String(SOCKETS_PER_ADDRESS),
      DATABASE_POOL_SIZE: '2',
    };
    delete env.NODE_TEST_CONTEXT; // the children are servers, not test files
    procs.push(launchApi({ env, quiet: process.env.E2E_VERBOSE !== '1' }));
    await waitForHttp(`http://${REAL}:${apiPort}/api/health`, procs[0]);
    tap = await startTap(apiPort);
    procs.push(launchWeb({ env: { ...env, API_ORIGIN: `http://${REAL}:${tap.port}` }, quiet: process.env.E2E_VERBOSE !== '1' }));
    await waitForHttp(`http://${REAL}:${webPort}/login`, procs[1]);
  });
  after(async () => {
    tap?.close();
    await Promise.all(procs.map((p) => stopProcess(p)));
  });

  /** Every request head the api received carries exactly one X-Forwarded-For: the real peer. */
  const assertApiSawOnlyTheRealAddress = () => {
    assert.ok(tap.heads.length > 0, 'the tap saw the requests');
    assert.deepEqual(tap.heads.filter((h) => h.forwardedFor.length !== 1 || h.forwardedFor[0] !== REAL), []);
  };

  const login = (rawPath: string, forwardedFor?: string) =>
    rawRequest(
      webPort,
      'POST',
      rawPath,
      { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
      JSON.stringify({ username: uniqueUsername('spray'), password: 'wrong password' }),
    );

  test("answers through the web origin carry the web server's own keep-alive terms, not the api's", async () => {
    // passed on, the api's 125 s told clients to reuse a connection the web server closes after
    // 5 s: the next request on it failed
    const agent = new http.Agent({ keepAlive: true });
    try {
      const res = await new Promise<http.IncomingMessage>((resolve, reject) => http.get({ host: REAL, port: webPort, path: '/api/health', agent }, resolve).on('error', reject));
      res.resume();
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['keep-alive'] ?? ''), /^timeout=\d+$/);
      assert.notEqual(res.headers['keep-alive'], `timeout=${HTTP_KEEP_ALIVE_DEFAULT_SECONDS}`);
    } finally {
      agent.destroy();
    }
  });

  test('the production build of the web app has no rewrites (no second route to the api)', () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'apps/web/.next/routes-manifest.json'), 'utf8')) as {
      rewrites: { beforeFiles: unknown[]; afterFiles: unknown[]; fallback: unknown[] } | unknown[];
    };
    const rewrites = Array.isArray(manifest.rewrites) ? manifest.rewrites : Object.values(manifest.rewrites).flat();
    assert.deepEqual(rewrites, []);
  });

  test('HTTP: every spelling of /api with a spoofed X-Forwarded-For is counted under the real address or refused', async () => {
    // the real address's login bucket, used up through the canonical path
    for (let i = 0; i < LOGIN_IP_LIMIT; i++) assert.equal((await login('/api/auth/login')).status, 401);
    assert.equal((await login('/api/auth/login', SPOOFED)).status, 429, 'the canonical path counts the real address');
    const answers: string[] = [];
    for (const spelling of [...API_SPELLINGS, '/api/../api', '/api/%2e%2e/API', '/api/./']) {
      const res = await login(`${spelling}/auth/login`, SPOOFED);
      // 401 would be a login attempt counted under the spoofed address (a fresh bucket)
      if (![404, 429].includes(res.status)) answers.push(`${spelling}/auth/login -> ${res.status} ${res.body.slice(0, 80)}`);
    }
    assert.deepEqual(answers, []);
    assertApiSawOnlyTheRealAddress();
  });

  test('HTTP: Socket.IO polling under any spelling reaches the api only with the real address', async () => {
    for (const spelling of ['/socket.io', ...SOCKET_SPELLINGS]) {
      const res = await rawRequest(webPort, 'GET', `${spelling}/?EIO=4&transport=polling`, { 'x-forwarded-for': SPOOFED });
      if (spelling === '/socket.io') assert.equal(res.status, 200, 'the canonical handshake works');
      else assert.equal(res.status, 404, `${spelling}: ${res.status} ${res.body.slice(0, 80)}`);
    }
    assertApiSawOnlyTheRealAddress();
  });

  test('WebSocket: an upgrade under any spelling of /socket.io is forwarded with the real address or refused', async () => {
    const canonical = await rawUpgrade(webPort, '/socket.io/?EIO=4&transport=websocket', SPOOFED);
    assert.match(canonical, /^HTTP\/1\.1 101 /, 'the canonical upgrade works');
    const answers: string[] = [];
    for (const spelling of SOCKET_SPELLINGS) {
      const line = await rawUpgrade(webPort, `${spelling}/?EIO=4&transport=websocket`, SPOOFED);
      if (!/^HTTP\/1\.1 404 /.test(line)) answers.push(`${spelling} -> ${line}`);
    }
    assert.deepEqual(answers, []);
    assertApiSawOnlyTheRealAddress();
  });

  test('Socket.IO: sockets with spoofed addresses count under the real one; a client on /SOCKET.IO is refused', async () => {
    const web = new ApiClient(`http://${REAL}:${webPort}`);
    const spoofed = (i: number) => ({ 'x-forwarded-for': `203.0.113.${10 + i}` });
    const sockets: RecordingSocket[] = [];
    try {
      for (let i = 0; i < SOCKETS_PER_ADDRESS; i++) {
        sockets.push(await connectSocket(web.baseUrl, (await web.registerUser()).accessToken, { extraHeaders: spoofed(i) }));
      }
      const over = await connectSocket(web.baseUrl, (await web.registerUser()).accessToken, { extraHeaders: spoofed(9) }).then(
        (s) => (sockets.push(s), 'connected'),
        (err: Error) => err.message,
      );
      assert.equal(over, 'too_many_sockets', 'the real address reached its cap');
      const { accessToken } = await web.registerUser();
      const upper = io(web.baseUrl, { path: '/SOCKET.IO', transports: ['websocket'], auth: { token: accessToken }, extraHeaders: spoofed(20), reconnection: false, forceNew: true });
      const outcome = await new Promise<string>((resolve) => {
        upper.once('connect', () => resolve('connected'));
        upper.once('connect_error', (err) => resolve(`refused: ${err.message}`));
      });
      upper.close();
      assert.match(outcome, /^refused/);
    } finally {
      sockets.forEach((s) => s.close());
    }
    assertApiSawOnlyTheRealAddress();
  });
});
