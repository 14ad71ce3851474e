import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TErrorBody, TReadAck } from '@chatbox/contracts';
import { connectSocket, createGroup, createTestApp, eventually, RecordingSocket, TestApp } from '@chatbox/server-testing';
import { freePort, launchApi, ManagedProcess, stopProcess, waitForHttp } from '@chatbox/tools';
import { ApiModule } from '../../api/src/app.module';

// Low caps for this file's apps only (each test file runs in its own process).
const LIMITS = {
  SOCKETS_PER_USER: '3',
  SOCKETS_PER_ADDRESS: '5',
  RATE_LIMIT_READ_USER: '5/60',
  SOCKET_CONNECT_TIMEOUT_MS: '1500',
};

// Addresses of this file only (X-Forwarded-For from loopback is trusted): sockets of other test
// files, from 127.0.0.1, share this run's Redis and must not count against these caps.
let lastIp = 0;
const freshIp = () => `198.18.7.${++lastIp}`;

describe('security: socket caps, read limits and idle handshakes', () => {
  let a: TestApp;
  let b: TestApp; // a second api process sharing Redis
  let patient: TestApp; // a long connect timeout: a refused handshake must not wait for it
  let child: ManagedProcess | undefined;
  const sockets: RecordingSocket[] = [];

  before(async () => {
    Object.assign(process.env, LIMITS);
    a = await createTestApp(ApiModule);
    b = await createTestApp(ApiModule);
    process.env.SOCKET_CONNECT_TIMEOUT_MS = '20000';
    patient = await createTestApp(ApiModule);
    for (const name of Object.keys(LIMITS)) delete process.env[name];
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    if (child) await stopProcess(child, 'SIGKILL');
    await Promise.all([a?.close(), b?.close(), patient?.close()]);
  });

  const connect = async (baseUrl: string, token: string, ip: string) => {
    const s = await connectSocket(baseUrl, token, { extraHeaders: { 'x-forwarded-for': ip } });
    sockets.push(s);
    return s;
  };
  const refusal = (baseUrl: string, token: string, ip: string) =>
    connect(baseUrl, token, ip).then(
      () => 'connected',
      (err: Error) => err.message,
    );

  test('a user\'s sockets are capped at the handshake (connect_error too_many_sockets); a closed one frees its slot', async () => {
    const { accessToken } = await a.client.registerUser();
    const open = [];
    for (let i = 0; i < 3; i++) open.push(await connect(a.baseUrl, accessToken, freshIp()));
    assert.equal(await refusal(a.baseUrl, accessToken, freshIp()), 'too_many_sockets');
    open[0]!.close();
    await eventually(async () => (await refusal(a.baseUrl, accessToken, freshIp())) === 'connected', 'a slot freed by the disconnect', 5000);
    assert.equal(await refusal(a.baseUrl, accessToken, freshIp()), 'too_many_sockets');
  });

  test('the per-user cap holds across api processes sharing Redis', async () => {
    const { accessToken } = await a.client.registerUser();
    await connect(a.baseUrl, accessToken, freshIp());
    await connect(b.baseUrl, accessToken, freshIp());
    await connect(a.baseUrl, accessToken, freshIp());
    assert.equal(await refusal(b.baseUrl, accessToken, freshIp()), 'too_many_sockets');
    assert.equal(await refusal(a.baseUrl, accessToken, freshIp()), 'too_many_sockets');
  });

  test('sockets per client address are capped, whoever they belong to; other addresses are not affected', async () => {
    const ip = freshIp();
    const users = await Promise.all(Array.from({ length: 6 }, () => a.client.registerUser()));
    for (const u of users.slice(0, 5)) await connect(a.baseUrl, u.accessToken, ip);
    assert.equal(await refusal(b.baseUrl, users[5]!.accessToken, ip), 'too_many_sockets');
    assert.equal(await refusal(b.baseUrl, users[5]!.accessToken, freshIp()), 'connected');
  });

  test('the slots of a killed api process (kill -9) are taken back', async () => {
    const { accessToken } = await a.client.registerUser();
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, ...LIMITS, API_HOST: '127.0.0.1', API_PORT: String(port), DATABASE_POOL_SIZE: '2' };
    delete env.NODE_TEST_CONTEXT; // a server, not a test file
    child = launchApi({ env, name: 'api-killed', quiet: true });
    const childUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${childUrl}/api/health`, child);
    for (let i = 0; i < 3; i++) await connect(childUrl, accessToken, freshIp());
    assert.equal(await refusal(a.baseUrl, accessToken, freshIp()), 'too_many_sockets');
    await stopProcess(child, 'SIGKILL');
    // its heartbeat lapses (15 s): its sockets no longer count, without anyone disconnecting them
    await eventually(async () => (await refusal(a.baseUrl, accessToken, freshIp())) === 'connected', 'the dead process\'s slots released', 30_000);
  });

  test('read is limited per user, over all their sockets and REST together', async () => {
    const owner = await a.client.registerUser();
    const group = await createGroup(a.prisma, owner.user.id, []);
    const tabs = [await connect(a.baseUrl, owner.accessToken, freshIp()), await connect(b.baseUrl, owner.accessToken, freshIp())];
    const read = (s: RecordingSocket) =>
      new Promise<TReadAck | TErrorBody>((resolve) => s.socket.emit('read', { conversationId: group, seq: 0 }, resolve));
    const rest = () => a.client.post(`/conversations/${group}/read`, { seq: 0 }, owner.accessToken);
    const results = [
      await read(tabs[0]!), await read(tabs[1]!), (await rest()).status, await read(tabs[0]!), await read(tabs[1]!),
    ];
    assert.deepEqual(results, [{ ok: true }, { ok: true }, 204, { ok: true }, { ok: true }]);
    const over = await read(tabs[0]!);
    assert.equal('error' in over && over.error.code, 'rate_limited');
    const overRest = await rest();
    assert.equal(overRest.status, 429);
    assert.ok(Number(overRest.headers.get('retry-after')) >= 1);
  });

  /** A raw Engine.IO session over HTTP long-polling, as a script that never finishes the handshake would hold. */
  const openEngine = async (baseUrl: string) => {
    const res = await fetch(`${baseUrl}/socket.io/?EIO=4&transport=polling`);
    const text = await res.text();
    assert.equal(text[0], '0', text);
    const { sid } = JSON.parse(text.slice(1)) as { sid: string };
    const url = `${baseUrl}/socket.io/?EIO=4&transport=polling&sid=${sid}`;
    /** Polls until the server closes the session; the packets seen, or 'still open' at the deadline. */
    const closedWithin = async (ms: number): Promise<string[] | 'still open'> => {
      const seen: string[] = [];
      const deadline = AbortSignal.timeout(ms);
      try {
        for (;;) {
          const poll = await fetch(url, { signal: deadline });
          if (poll.status !== 200) return seen; // the session is gone
          const packets = (await poll.text()).split('\x1e');
          seen.push(...packets);
          if (packets.includes('1')) return seen; // close packet
        }
      } catch {
        return 'still open';
      }
    };
    return { send: (packet: string) => fetch(url, { method: 'POST', body: packet }), closedWithin };
  };

  test('a connection that never completes the Socket.IO handshake is closed after SOCKET_CONNECT_TIMEOUT_MS', async () => {
    const engine = await openEngine(a.baseUrl);
    const started = Date.now();
    assert.notEqual(await engine.closedWithin(6000), 'still open');
    assert.ok(Date.now() - started < 4000, `closed after ${Date.now() - started} ms`);
  });

  test('a refused handshake (no token) closes the connection at once, not after the connect timeout', async () => {
    const engine = await openEngine(patient.baseUrl);
    assert.equal((await engine.send('40')).status, 200);
    const seen = await engine.closedWithin(3000);
    assert.notEqual(seen, 'still open');
    assert.ok((seen as string[]).some((p) => p.startsWith('44') && p.includes('unauthorized')), JSON.stringify(seen));
  });
});
