import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { allConversationId, connectSocket, createGroup, createTestApp, RecordingSocket, TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

/** Bounded: ~100 random requests per endpoint keeps the file under a minute on a shared machine. */
const RUNS = 100;

const anyJson = fc.jsonValue({ maxDepth: 3 });
/** Bodies near the expected shape: known field names (and a few hostile ones) with any values. */
const bodyNear = (fields: string[]) =>
  fc.oneof(
    anyJson,
    fc.dictionary(fc.constantFrom(...fields, 'extra', '__proto__', 'constructor'), anyJson, { maxKeys: 5 }),
    fc.record(Object.fromEntries(fields.map((f) => [f, fc.oneof(fc.string({ maxLength: 300 }), anyJson)])), { requiredKeys: [] }),
  );
const rawText = fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('{', '{"a":', '[', 'nul', '"unterminated', '{"a":1}}'));

describe('security: fuzzing every endpoint with random JSON', () => {
  let t: TestApp;
  let token: string;
  let userId: string;
  let ids: string[];
  let socket: RecordingSocket;
  before(async () => {
    t = await createTestApp(ApiModule);
    const reg = await t.client.registerUser();
    token = reg.accessToken;
    userId = reg.user.id;
    const other = await t.client.registerUser();
    // Ids worth hitting: the user's own group, the shared `all`, someone else's group, a guess.
    ids = [
      await createGroup(t.prisma, userId, [other.user.id]),
      await allConversationId(t.prisma),
      await createGroup(t.prisma, other.user.id, []),
      randomUUID(),
      other.user.id,
    ];
    socket = await connectSocket(t.baseUrl, token);
  });
  after(async () => {
    socket?.close();
    await t.close();
  });
  const anyId = () => fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 40 }), fc.constantFrom('..', '%', '', ' ', 'null'));

  /** What a rejected request by the fuzz user must leave untouched. */
  const fingerprint = async () => {
    const [sessions, memberships, messages, user] = await Promise.all([
      t.prisma.session.count({ where: { userId } }),
      t.prisma.membership.count({ where: { userId } }),
      t.prisma.message.count({ where: { senderId: userId } }),
      t.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true, displayName: true, shareReadReceipts: true } }),
    ]);
    return { sessions, memberships, messages, ...user };
  };

  const assertSafe = (status: number, body: unknown, what: string) => {
    assert.ok(status < 500, `${what}: ${status} ${JSON.stringify(body)}`);
    if (status >= 400) {
      const error = (body as { error?: { code?: unknown } }).error;
      assert.equal(typeof error?.code, 'string', `${what}: ${JSON.stringify(body)}`);
      assert.doesNotMatch(JSON.stringify(body), /at .*\.js:\d+|prisma|SELECT |INSERT |stack/i);
    }
  };

  test('POST /auth/register: never a 5xx; a refused body stores no user', async () => {
    await fc.assert(
      fc.asyncProperty(bodyNear(['username', 'password', 'displayName']), async (body) => {
        const res = await t.client.post('/auth/register', body);
        assertSafe(res.status, res.body, 'register');
        const username = (body as { username?: unknown } | null)?.username;
        if (res.status !== 201 && typeof username === 'string' && username.length <= 64) {
          const key = username.normalize('NFKC').toLowerCase();
          const stored = await t.prisma.user.count({ where: { usernameKey: key, createdAt: { gt: new Date(Date.now() - 5000) } } });
          assert.equal(stored, 0, `refused register stored ${key}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('POST /auth/login: never a 5xx; nothing but a 200 starts a session', async () => {
    await fc.assert(
      fc.asyncProperty(bodyNear(['username', 'password']), async (body) => {
        const before = await t.prisma.session.count({ where: { userId } });
        const res = await t.client.post('/auth/login', body);
        assertSafe(res.status, res.body, 'login');
        assert.notEqual(res.status, 200, 'random credentials logged in');
        assert.equal(await t.prisma.session.count({ where: { userId } }), before);
      }),
      { numRuns: RUNS },
    );
  });

  // Authenticated endpoints that take a body or a query: fuzzed with the fuzz user's valid token.
  const authed: Array<{ method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH'; path: string; fields: string[] }> = [
    { method: 'POST', path: '/auth/password', fields: ['currentPassword', 'newPassword'] },
    { method: 'GET', path: '/me', fields: [] },
    { method: 'GET', path: '/users', fields: [] },
    { method: 'GET', path: '/users/online', fields: [] },
    { method: 'GET', path: '/conversations', fields: [] },
    { method: 'POST', path: '/conversations/direct', fields: ['userId'] },
    { method: 'POST', path: '/groups', fields: ['name', 'visibility', 'memberIds'] },
    { method: 'GET', path: '/groups', fields: [] },
    { method: 'POST', path: '/groups/:id/join', fields: [] },
    { method: 'GET', path: '/groups/:id/members', fields: [] },
    { method: 'POST', path: '/groups/:id/members', fields: ['userIds'] },
    { method: 'DELETE', path: '/groups/:id/members/:userId', fields: [] },
    { method: 'GET', path: '/conversations/:id/messages', fields: [] },
    { method: 'GET', path: '/conversations/:id/changes', fields: [] },
    { method: 'GET', path: '/conversations/:id/receipts', fields: [] },
    { method: 'PATCH', path: '/me', fields: ['displayName', 'shareReadReceipts'] },
    { method: 'POST', path: '/conversations/:id/messages', fields: ['clientMsgId', 'body', 'threadRootId'] },
    { method: 'PATCH', path: '/conversations/:id/messages/:userId', fields: ['body'] },
    { method: 'DELETE', path: '/conversations/:id/messages/:userId', fields: [] },
    { method: 'PUT', path: '/conversations/:id/messages/:userId/reactions/:emoji', fields: [] },
    { method: 'DELETE', path: '/conversations/:id/messages/:userId/reactions/:emoji', fields: [] },
    { method: 'POST', path: '/conversations/:id/read', fields: ['seq'] },
    { method: 'PUT', path: '/users/:id/block', fields: [] },
    { method: 'DELETE', path: '/users/:id/block', fields: [] },
    { method: 'GET', path: '/me/blocks', fields: [] },
  ];
  /** The path with random or real ids in its parameters. */
  const pathOf = (template: string) =>
    fc.tuple(anyId(), anyId()).map(([id, other]) => template.replace(':id', encodeURIComponent(id)).replace(':userId', encodeURIComponent(other)).replace(':emoji', ['%F0%9F%91%8D', ':ok:', 'zz', '%25', '%F0'][id.length % 5]));

  /** GETs get random query strings instead of bodies (fetch sends no body with GET). */
  const query = fc.dictionary(fc.constantFrom('q', 'limit', 'cursor', 'before', 'after', 'x', 'limit[]'), fc.oneof(fc.string({ maxLength: 80 }), fc.integer().map(String)), { maxKeys: 4 });
  for (const ep of authed) {
    test(`${ep.method} ${ep.path}: never a 5xx; a refused request changes nothing`, async () => {
      const input = ep.method === 'GET'
        ? fc.tuple(pathOf(ep.path), query).map(([path, q]) => ({ path: `${path}?${new URLSearchParams(q).toString()}`, opts: {} }))
        : fc.tuple(pathOf(ep.path), fc.oneof(bodyNear(ep.fields).map((body) => ({ body })), rawText.map((rawBody) => ({ rawBody })))).map(([path, opts]) => ({ path, opts }));
      await fc.assert(
        fc.asyncProperty(input, async ({ path, opts }) => {
          const before = await fingerprint();
          const res = await t.client.request(ep.method, path, { token, ...opts });
          assertSafe(res.status, res.body, `${ep.method} ${path}`);
          if (res.status >= 400) assert.deepEqual(await fingerprint(), before, `${ep.method} ${path} ${res.status} changed state`);
        }),
        { numRuns: RUNS },
      );
    });
  }

  test('random tokens and headers on every authenticated endpoint: always 401/403, never a 5xx', async () => {
    const tokenish = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map((p) => p.join('.')),
      fc.constant(`${token.slice(0, -2)}xx`),
    );
    await fc.assert(
      fc.asyncProperty(tokenish, fc.constantFrom(...authed, { method: 'POST' as const, path: '/auth/logout', fields: [] }), async (bad, ep) => {
        const before = await fingerprint();
        const headers: Record<string, string> = {};
        try {
          headers.authorization = `Bearer ${bad}`;
          new Headers(headers);
        } catch {
          return; // not even a valid header value; fetch itself refuses to send it
        }
        const path = ep.path.replace(':id', ids[0]!).replace(':userId', userId);
        const res = await t.client.request(ep.method, path, { headers, body: ep.method === 'GET' ? undefined : {} });
        assertSafe(res.status, res.body, `${ep.method} ${ep.path}`);
        assert.ok(res.status === 401 || res.status === 403, `${ep.method} ${ep.path} with a random token: ${res.status}`);
        assert.deepEqual(await fingerprint(), before);
      }),
      { numRuns: RUNS },
    );
    assert.equal((await t.client.get('/me', token)).status, 200);
  });

  for (const event of ['message:send', 'read'] as const) {
    test(`socket ${event}: random payloads always get an ack, never "internal", never a stored row when refused`, async () => {
      const payload = fc.oneof(
        anyJson,
        fc.record({ conversationId: anyId(), clientMsgId: fc.oneof(fc.string({ maxLength: 80 }), anyJson), body: fc.oneof(fc.string({ maxLength: 300 }), anyJson), seq: fc.oneof(fc.integer(), anyJson) }, { requiredKeys: [] }),
      );
      await fc.assert(
        fc.asyncProperty(payload, async (p) => {
          const before = await fingerprint();
          const ack = await new Promise<any>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no ack for ${JSON.stringify(p)}`)), 5000);
            (socket.socket.emit as any)(event, p, (a: unknown) => {
              clearTimeout(timer);
              resolve(a);
            });
          });
          assert.ok(socket.socket.connected, 'the socket was dropped');
          if (ack && 'error' in ack) {
            assert.notEqual(ack.error.code, 'internal', JSON.stringify({ p, ack }));
            const after = await fingerprint();
            assert.deepEqual({ ...after, messages: before.messages }, before);
            assert.equal(after.messages, before.messages, `a refused ${event} stored a message`);
          } else {
            assert.ok(ack && ('message' in ack || ack.ok === true), JSON.stringify(ack));
          }
        }),
        { numRuns: RUNS },
      );
    });
  }

  test('the fuzz user is intact afterwards', async () => {
    const me = await t.client.get('/me', token);
    assert.equal(me.status, 200);
    assert.equal(me.body.id, userId);
  });
});
