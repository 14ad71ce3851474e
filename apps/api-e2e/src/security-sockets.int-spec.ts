import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { io } from 'socket.io-client';
import type { TErrorBody, TReadAck, TSendAck } from '@chatbox/contracts';
import { loadConfig } from '@chatbox/server-config';
import { connectSocket, createGroup, createTestApp, eventually, RecordingSocket, TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

type Ack = TSendAck | TReadAck | TErrorBody;

describe('security: sockets', () => {
  let t: TestApp;
  let tight: TestApp; // the same api with low socket limits, for the flood cases
  const sockets: RecordingSocket[] = [];
  const webOrigin = loadConfig().webOrigin;

  before(async () => {
    t = await createTestApp(ApiModule);
    process.env.RATE_LIMIT_SOCKET_EVENTS = '10/60';
    process.env.RATE_LIMIT_SEND_USER = '4/60';
    tight = await createTestApp(ApiModule);
    delete process.env.RATE_LIMIT_SOCKET_EVENTS;
    delete process.env.RATE_LIMIT_SEND_USER;
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await tight?.close();
    await t?.close();
  });

  const connect = async (app: TestApp, token?: string, extraHeaders?: Record<string, string>) => {
    const s = await connectSocket(app.baseUrl, token, { extraHeaders });
    sockets.push(s);
    return s;
  };
  const emitAck = (s: RecordingSocket, event: string, ...args: unknown[]): Promise<Ack> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ack for ${event}`)), 5000);
      (s.socket.emit as any)(event, ...args, (ack: Ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
  const errorOf = (ack: Ack) => ('error' in ack ? ack.error : undefined);
  const messagesIn = (conversationId: string) => t.prisma.message.count({ where: { conversationId } });

  /** The claims of a user's token, and a token with other claims signed with the api's secret. */
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
  const signedToken = (claims: Record<string, unknown>) => {
    const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
    return `${input}.${createHmac('sha256', process.env.JWT_SECRET ?? '').update(input).digest('base64url')}`;
  };

  /** Two users and a private group of the owner that the outsider is not in. */
  async function strangers(app = t) {
    const owner = await app.client.registerUser();
    const outsider = await app.client.registerUser();
    const group = await createGroup(app.prisma, owner.user.id, []);
    return { owner, outsider, group };
  }

  test('handshake without a token, with garbage, with alg none, with an expired or revoked token: unauthorized', async () => {
    const { owner } = await strangers();
    const claims = claimsOf(owner.accessToken);
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    const expired = signedToken({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 });
    for (const bad of [undefined, 'garbage', none, expired]) await assert.rejects(connect(t, bad), /unauthorized/, String(bad));
    assert.equal((await t.client.post('/auth/logout', undefined, owner.accessToken)).status, 204);
    await assert.rejects(connect(t, owner.accessToken), /unauthorized/);
  });

  test('a token in the query string is never read', async () => {
    const { owner } = await strangers();
    const socket = io(t.baseUrl, { path: '/socket.io', transports: ['websocket'], query: { token: owner.accessToken, access_token: owner.accessToken }, reconnection: false, forceNew: true });
    const outcome = await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (err) => resolve(err.message));
    });
    socket.disconnect();
    assert.equal(outcome, 'unauthorized');
  });

  test('a handshake from a foreign Origin is refused even with a valid token; the web origin is accepted', async () => {
    const { owner } = await strangers();
    await assert.rejects(connect(t, owner.accessToken, { origin: 'https://evil.example' }), /forbidden/);
    await assert.rejects(connect(t, owner.accessToken, { origin: 'null' }), /forbidden/);
    const ok = await connect(t, owner.accessToken, { origin: webOrigin });
    assert.ok(ok.socket.connected);
    // Same-origin (the api's own host, as through the Next.js proxy) is not cross-site.
    const same = await connect(t, owner.accessToken, { origin: t.baseUrl });
    assert.ok(same.socket.connected);
  });

  test('message:send to a conversation the user is not in: not_found ack, nothing stored, nothing delivered', async () => {
    const { owner, outsider, group } = await strangers();
    const ownerTab = await connect(t, owner.accessToken);
    const s = await connect(t, outsider.accessToken);
    const ack = await emitAck(s, 'message:send', { conversationId: group, clientMsgId: 'intrude-1', body: 'let me in' });
    assert.equal(errorOf(ack)?.code, 'not_found');
    assert.equal(await messagesIn(group), 0);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(ownerTab.messages.filter((m) => m.conversationId === group).length, 0); // `all` is busy with other files
  });

  test('read on a conversation the user is not in: not_found ack and no read pointer is created or moved', async () => {
    const { owner, outsider, group } = await strangers();
    const s = await connect(t, outsider.accessToken);
    const ack = await emitAck(s, 'read', { conversationId: group, seq: 5 });
    assert.equal(errorOf(ack)?.code, 'not_found');
    const rows = await t.prisma.membership.findMany({ where: { conversationId: group } });
    assert.deepEqual(rows.map((r) => [r.userId, r.readSeq]), [[owner.user.id, 0]]);
  });

  test('an outsider never receives the messages of a conversation it is not in', async () => {
    const { owner, outsider, group } = await strangers();
    const spy = await connect(t, outsider.accessToken);
    const res = await t.client.post(`/conversations/${group}/messages`, { clientMsgId: 'secret-1', body: 'secret' }, owner.accessToken);
    assert.equal(res.status, 201);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(spy.messages.filter((m) => m.conversationId === group).length, 0);
  });

  const malformed: Array<[string, unknown[]]> = [
    ['no payload', []],
    ['null', [null]],
    ['a string', ['hello']],
    ['a number', [42]],
    ['an array', [[1, 2, 3]]],
    ['conversationId a number', [{ conversationId: 7, clientMsgId: 'm', body: 'x' }]],
    ['conversationId not a uuid', [{ conversationId: '../../etc', clientMsgId: 'm', body: 'x' }]],
    ['clientMsgId an object', [{ clientMsgId: { $gt: '' }, body: 'x' }]],
    ['body an array', [{ clientMsgId: 'm', body: ['x'] }]],
    ['body only spaces', [{ clientMsgId: 'm', body: '    ' }]],
    ['body of 4001 characters', [{ clientMsgId: 'm', body: 'b'.repeat(4001) }]],
    ['clientMsgId of 65 characters', [{ clientMsgId: 'c'.repeat(65), body: 'x' }]],
  ];
  for (const [name, args] of malformed) {
    test(`message:send with ${name}: validation_failed ack, nothing stored, the socket stays usable`, async () => {
      const { owner, group } = await strangers();
      const s = await connect(t, owner.accessToken);
      const payload = args.length && typeof args[0] === 'object' && args[0] !== null && !Array.isArray(args[0]) && !('conversationId' in args[0])
        ? [{ conversationId: group, ...(args[0] as object) }]
        : args;
      const ack = await emitAck(s, 'message:send', ...payload);
      assert.equal(errorOf(ack)?.code, 'validation_failed', JSON.stringify(ack));
      assert.ok(Object.keys(errorOf(ack)?.fields ?? {}).length > 0);
      assert.equal(await messagesIn(group), 0);
      const ok = await emitAck(s, 'message:send', { conversationId: group, clientMsgId: 'after', body: 'still works' });
      assert.ok('message' in ok, JSON.stringify(ok));
    });
  }

  test('read with wrong types (seq a string, negative, fractional): validation_failed ack, read pointer unchanged', async () => {
    const { owner, group } = await strangers();
    const s = await connect(t, owner.accessToken);
    for (const seq of ['5', -1, 1.5, null, { $gt: 0 }]) {
      const ack = await emitAck(s, 'read', { conversationId: group, seq });
      assert.equal(errorOf(ack)?.code, 'validation_failed', `seq ${JSON.stringify(seq)}`);
    }
    const row = await t.prisma.membership.findFirstOrThrow({ where: { conversationId: group, userId: owner.user.id } });
    assert.equal(row.readSeq, 0);
  });

  test('an unknown event with an acknowledgement gets a not_found ack', async () => {
    const { owner } = await strangers();
    const s = await connect(t, owner.accessToken);
    assert.equal(errorOf(await emitAck(s, 'admin:delete-everything', { all: true }))?.code, 'not_found');
    assert.equal(errorOf(await emitAck(s, 'join', 'user:someone-else'))?.code, 'not_found');
  });

  test('a payload over maxHttpBufferSize closes that socket only: the server and other sockets live on, nothing stored', async () => {
    const { owner, group } = await strangers();
    const big = await connect(t, owner.accessToken);
    const other = await connect(t, owner.accessToken);
    const closed = new Promise<string>((resolve) => big.socket.once('disconnect', (reason) => resolve(reason)));
    big.socket.emit('message:send', { conversationId: group, clientMsgId: 'huge', body: 'x'.repeat(200_000) }, () => undefined);
    assert.match(await closed, /transport close|io server disconnect|transport error/);
    assert.equal(await messagesIn(group), 0);
    assert.ok(other.socket.connected);
    const ack = await emitAck(other, 'message:send', { conversationId: group, clientMsgId: 'small', body: 'fine' });
    assert.ok('message' in ack);
    assert.equal((await t.client.get('/health')).status, 200);
  });

  test('a flooding socket gets rate_limited acks past its limit, and is disconnected when it keeps going', async () => {
    const { owner, group } = await strangers(tight);
    const s = await connect(tight, owner.accessToken);
    const acks: Ack[] = [];
    for (let i = 0; i < 12; i++) acks.push(await emitAck(s, 'read', { conversationId: group, seq: 0 }));
    assert.deepEqual(acks.slice(0, 10).map((a) => ('ok' in a ? 'ok' : errorOf(a)?.code)), Array(10).fill('ok'));
    assert.deepEqual(acks.slice(10).map((a) => errorOf(a)?.code), ['rate_limited', 'rate_limited']);
    // the wait to honour, in seconds, within the window (a client paces itself by it)
    const wait = errorOf(acks[10])?.retryAfterSeconds ?? 0;
    assert.ok(wait >= 59 && wait <= 60, `retryAfterSeconds ${wait} (10 per 60 s, flooded within a second)`);
    const gone = new Promise((resolve) => s.socket.once('disconnect', resolve));
    for (let i = 0; i < 25; i++) s.socket.emit('read', { conversationId: group, seq: 0 }, () => undefined);
    await gone;
    assert.equal((await tight.client.get('/health')).status, 200);
  });

  test('socket and REST sends share one per-user limit: past it, rate_limited ack and nothing stored', async () => {
    const { owner, group } = await strangers(tight);
    const s = await connect(tight, owner.accessToken);
    for (let i = 0; i < 2; i++) {
      assert.equal((await tight.client.post(`/conversations/${group}/messages`, { clientMsgId: `rest-${i}`, body: 'hi' }, owner.accessToken)).status, 201);
      assert.ok('message' in (await emitAck(s, 'message:send', { conversationId: group, clientMsgId: `sock-${i}`, body: 'hi' })));
    }
    const ack = await emitAck(s, 'message:send', { conversationId: group, clientMsgId: 'sock-over', body: 'hi' });
    assert.equal(errorOf(ack)?.code, 'rate_limited');
    assert.ok((errorOf(ack)?.retryAfterSeconds ?? 0) >= 1, 'the ack says how long to wait');
    const rest = await tight.client.post(`/conversations/${group}/messages`, { clientMsgId: 'rest-over', body: 'hi' }, owner.accessToken);
    assert.equal(rest.status, 429);
    assert.ok(Number(rest.headers.get('retry-after')) >= 1);
    assert.equal(rest.body.error.retryAfterSeconds, Number(rest.headers.get('retry-after')));
    assert.equal(await tight.prisma.message.count({ where: { conversationId: group } }), 4);
  });

  test('logout closes the sockets of that session only; the same user\'s other login stays connected', async () => {
    const reg = await t.client.registerUser();
    const second = await t.client.post('/auth/login', { username: reg.user.username, password: reg.password });
    const first = await connect(t, reg.accessToken);
    const other = await connect(t, second.body.accessToken);
    const closed = new Promise((resolve) => first.socket.once('disconnect', resolve));
    assert.equal((await t.client.post('/auth/logout', undefined, reg.accessToken)).status, 204);
    await closed;
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(other.socket.connected);
  });

  test('a socket is closed when its token expires, while a socket of a longer token stays', async () => {
    const reg = await t.client.registerUser();
    const shortLived = signedToken({ ...claimsOf(reg.accessToken), exp: Math.floor(Date.now() / 1000) + 2 });
    const ending = await connect(t, shortLived);
    const staying = await connect(t, reg.accessToken);
    let reason = '';
    ending.socket.once('disconnect', (r) => (reason = r));
    await eventually(() => reason !== '', 'the expired socket closed', 5000);
    assert.equal(reason, 'io server disconnect'); // the client knows the server closed it
    assert.ok(staying.socket.connected);
    await assert.rejects(connect(t, shortLived), /unauthorized/);
  });

  test('password change closes every socket of the user', async () => {
    const reg = await t.client.registerUser();
    const second = await t.client.post('/auth/login', { username: reg.user.username, password: reg.password });
    const tabs = [await connect(t, reg.accessToken), await connect(t, second.body.accessToken)];
    const res = await t.client.post('/auth/password', { currentPassword: reg.password, newPassword: 'tram-violet-otter-42' }, reg.accessToken);
    assert.equal(res.status, 200);
    await eventually(() => tabs.every((s) => !s.socket.connected), 'every socket closed');
    await assert.rejects(connect(t, second.body.accessToken), /unauthorized/);
    assert.ok((await connect(t, res.body.accessToken)).socket.connected);
  });
});
