import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { allConversationId, connectSocket, createGroup, createTestApp, recordErrorLogs, RecordingSocket, TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

/** Bounded: ~100 random requests per endpoint keeps the file under a minute on a shared machine. */
const RUNS = 100;

/**
 * Characters that have tripped PostgreSQL or a reader: NUL, lone surrogates, format characters
 * (direction overrides and isolates, zero-width ones, BOM, soft hyphen, tags), line and paragraph
 * separators, invisible letters and marks. fc.string() alone only makes printable ASCII.
 */
const HOSTILE_CHARS = ['\u0000', '\ud800', '\udfff', '\u202e', '\u2066', '\u200b', '\u200d', '\ufeff', '\u00ad', '\u{e0041}', '\u2028', '\u2029', '\u3164', '\u0301', '\u2800', '\u001b', '%', '_', '\\'];
const hostileString = (maxLength: number) =>
  fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...HOSTILE_CHARS), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 8 }).map((parts) => parts.join('').slice(0, maxLength));
const anyString = (maxLength: number) => fc.oneof(fc.string({ maxLength }), hostileString(maxLength));
/** Dates JavaScript accepts and PostgreSQL's timestamps do not hold, and some that are no dates. */
const farDate = fc.constantFrom('-010000-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '-000001-12-31T23:59:59.999Z', '9999-99-99T99:99:99.999Z', '2026-02-30T00:00:00.000Z', '1e400');
/** Cursors: the api's shape (base64url JSON of a sort key) holding hostile parts, and raw junk. */
const hostileCursor = fc.oneof(
  fc.array(fc.oneof(farDate, hostileString(20), fc.constantFrom(0, 1, 2, -1, 7, 1e308, null, true), fc.uuid().map((u) => u.toUpperCase())), { maxLength: 4 }).map((key) => Buffer.from(JSON.stringify(key)).toString('base64url')),
  fc.tuple(farDate, fc.uuid()).map((key) => Buffer.from(JSON.stringify(key)).toString('base64url')),
  anyString(40),
);
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostileString(40));
/** Bodies near the expected shape: known field names (and a few hostile ones) with any values. */
const bodyNear = (fields: string[]) =>
  fc.oneof(
    anyJson,
    fc.dictionary(fc.constantFrom(...fields, 'extra', '__proto__', 'constructor'), anyJson, { maxKeys: 5 }),
    fc.record(Object.fromEntries(fields.map((f) => [f, fc.oneof(anyString(300), anyJson)])), { requiredKeys: [] }),
    fc.record(Object.fromEntries(fields.map((f) => [f, fc.oneof(hostileString(60), fc.array(hostileString(40), { maxLength: 3 }))])), { requiredKeys: [] }),
  );
const rawText = fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('{', '{"a":', '[', 'nul', '"unterminated', '{"a":1}}', '{"body":"\u0000"}', '{"name":"\\ud800"}'));
/** Percent-encodes for a URL; a lone surrogate (which encodeURIComponent refuses) becomes the bytes UTF-8 would have given it: not UTF-8 at all. */
const urlEncode = (s: string) => s.split(/(\p{Cs})/u).map((part, i) => (i % 2 ? '%ED%A0%80' : encodeURIComponent(part))).join('');

describe('security: fuzzing every endpoint with random JSON', () => {
  let t: TestApp;
  let token: string;
  let userId: string;
  let fuzzUsername: string;
  let ids: string[];
  let socket: RecordingSocket;
  let errors: string[];
  before(async () => {
    t = await createTestApp(ApiModule);
    errors = recordErrorLogs(t.app);
    const reg = await t.client.registerUser();
    token = reg.accessToken;
    userId = reg.user.id;
    fuzzUsername = reg.user.username;
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
  const anyId = () =>
    fc.oneof(
      fc.constantFrom(...ids),
      fc.constantFrom(...ids).map((id) => id.toUpperCase()),
      fc.tuple(fc.constantFrom(...ids), fc.constantFrom(...HOSTILE_CHARS)).map(([id, c]) => `${id}${c}`),
      anyString(40),
      fc.constantFrom('..', '%', '', ' ', 'null'),
    );
  /** A valid input with one of its fields (or an element of a list field) replaced by hostile text: reaches further than random shapes. */
  const oneFieldHostile = (valid: Record<string, unknown>) =>
    fc.tuple(fc.constantFrom(...Object.keys(valid)), hostileString(60)).map(([key, bad]) => ({ ...valid, [key]: Array.isArray(valid[key]) ? [...(valid[key] as unknown[]), bad] : bad }));
  /** Every test ends with: nothing the fuzz sent was logged as an ERROR (a fault, not a refusal). */
  afterEach(() => assert.deepEqual(errors.splice(0), [], 'the api logged an ERROR'));

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

  /** A name the api accepted: nothing in it that hides, flips or breaks the text around it. */
  const assertShowable = (name: string) =>
    assert.doesNotMatch(name, /[\0\p{Cs}\p{Cc}\p{Zl}\p{Zp}]|(?!(?<=[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F])\u200D(?=\p{Extended_Pictographic}))\p{Cf}/u, JSON.stringify(name));

  const assertSafe = (status: number, body: unknown, what: string) => {
    assert.ok(status < 500, `${what}: ${status} ${JSON.stringify(body)}`);
    if (status >= 400) {
      const error = (body as { error?: { code?: unknown } }).error;
      assert.equal(typeof error?.code, 'string', `${what}: ${JSON.stringify(body)}`);
      assert.doesNotMatch(JSON.stringify(body), /at .*\.js:\d+|prisma|SELECT |INSERT |stack/i);
    }
  };

  test('POST /auth/register: never a 5xx; a refused body stores no user; an accepted name shows as it is', async () => {
    const valid = fc.uuid().map((u) => ({ username: `f_${u.slice(0, 13).replace('-', '')}`, password: 'correct horse battery', displayName: 'Fuzz' }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(bodyNear(['username', 'password', 'displayName']), valid.chain(oneFieldHostile)), async (body) => {
        const res = await t.client.post('/auth/register', body);
        assertSafe(res.status, res.body, 'register');
        if (res.status === 201) assertShowable(res.body.user.displayName);
        const username = (body as { username?: unknown } | null)?.username;
        // (a username with NUL cannot even be looked up: PostgreSQL text holds no NUL)
        if (res.status !== 201 && typeof username === 'string' && username.length <= 64 && !username.includes('\u0000')) {
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
      fc.asyncProperty(fc.oneof(bodyNear(['username', 'password']), oneFieldHostile({ username: fuzzUsername, password: 'correct horse battery' })), async (body) => {
        const before = await t.prisma.session.count({ where: { userId } });
        const res = await t.client.post('/auth/login', body);
        assertSafe(res.status, res.body, 'login');
        if (res.status === 200) return void assert.fail(`random credentials logged in: ${JSON.stringify(body)}`);
        assert.equal(await t.prisma.session.count({ where: { userId } }), before);
      }),
      { numRuns: RUNS },
    );
  });

  /**
   * Authenticated endpoints that take a body or a query: fuzzed with the fuzz user's valid token.
   * `valid` is a body that passes (the current password is wrong on purpose); `params` are the
   * query parameters a GET reads. Both get one field at a time replaced by hostile text.
   */
  const authed: Array<{ method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; fields: string[]; valid?: () => Record<string, unknown>; params?: string[] }> = [
    { method: 'POST', path: '/auth/password', fields: ['currentPassword', 'newPassword'], valid: () => ({ currentPassword: 'not the password', newPassword: 'tram-violet-otter-42' }) },
    { method: 'GET', path: '/me', fields: [] },
    { method: 'GET', path: '/users', fields: [], params: ['q', 'cursor', 'limit'] },
    { method: 'GET', path: '/users/online', fields: [], params: ['cursor', 'limit'] },
    { method: 'GET', path: '/conversations', fields: [], params: ['cursor', 'limit'] },
    { method: 'POST', path: '/conversations/direct', fields: ['userId'], valid: () => ({ userId: ids[4] }) },
    { method: 'POST', path: '/groups', fields: ['name', 'visibility', 'memberIds'], valid: () => ({ name: 'fuzz group', visibility: 'private', memberIds: [ids[4]] }) },
    { method: 'GET', path: '/groups', fields: [], params: ['q', 'cursor', 'limit'] },
    { method: 'POST', path: '/groups/:id/join', fields: [] },
    { method: 'GET', path: '/groups/:id/members', fields: [], params: ['cursor', 'limit'] },
    { method: 'POST', path: '/groups/:id/members', fields: ['userIds'], valid: () => ({ userIds: [ids[4]] }) },
    { method: 'DELETE', path: '/groups/:id/members/:userId', fields: [] },
    { method: 'GET', path: '/conversations/:id/messages', fields: [], params: ['before', 'after', 'around', 'thread', 'limit'] },
    { method: 'GET', path: '/conversations/:id/changes', fields: [], params: ['after', 'limit'] },
    { method: 'GET', path: '/conversations/:id/receipts', fields: [] },
    { method: 'PATCH', path: '/me', fields: ['displayName', 'shareReadReceipts'], valid: () => ({ displayName: 'Fuzz Person' }) },
    { method: 'POST', path: '/conversations/:id/messages', fields: ['clientMsgId', 'body', 'threadRootId'], valid: () => ({ clientMsgId: randomUUID(), body: 'fuzz' }) },
    { method: 'PATCH', path: '/conversations/:id/messages/:userId', fields: ['body'], valid: () => ({ body: 'fuzz' }) },
    { method: 'DELETE', path: '/conversations/:id/messages/:userId', fields: [] },
    { method: 'PUT', path: '/conversations/:id/messages/:userId/reactions/:emoji', fields: [] },
    { method: 'DELETE', path: '/conversations/:id/messages/:userId/reactions/:emoji', fields: [] },
    { method: 'POST', path: '/conversations/:id/read', fields: ['seq'], valid: () => ({ seq: 1 }) },
    { method: 'PUT', path: '/users/:id/block', fields: [] },
    { method: 'DELETE', path: '/users/:id/block', fields: [] },
    { method: 'GET', path: '/me/blocks', fields: [] },
  ];
  /** The path with the fuzz user's own group and the other user in its parameters: where a valid input gets furthest. */
  const realPath = (template: string) => template.replace(':id', ids[0]!).replace(':userId', ids[4]!);
  /** The path with random or real ids in its parameters. */
  const pathOf = (template: string) =>
    fc.tuple(anyId(), anyId()).map(([id, other]) => template.replace(':id', urlEncode(id)).replace(':userId', urlEncode(other)).replace(':emoji', ['%F0%9F%91%8D', ':ok:', 'zz', '%25', '%F0'][id.length % 5]));

  /** GETs get random query strings instead of bodies (fetch sends no body with GET): every parameter any GET reads, hostile text and cursors in each. */
  const query = fc
    .dictionary(
      fc.constantFrom('q', 'limit', 'cursor', 'before', 'after', 'x', 'limit[]', 'cursor[]'),
      fc.oneof(anyString(80), hostileCursor, fc.integer().map(String), fc.constantFrom('%00', '%ED%A0%80', '%E2%80%AE')),
      { maxKeys: 4 },
    )
    .map((q) => Object.entries(q).map(([k, v]) => `${encodeURIComponent(k)}=${v.startsWith('%') ? v : urlEncode(v)}`).join('&'));
  /** One query parameter the endpoint reads, hostile (a cursor-shaped one for `cursor`). */
  const oneParamHostile = (params: string[]) =>
    fc.constantFrom(...params).chain((name) =>
      (name === 'cursor' ? hostileCursor : fc.oneof(hostileString(80), fc.constantFrom('%00', '%ED%A0%80', '%E2%80%AE'))).map((v) => `${name}=${v.startsWith('%') ? v : urlEncode(v)}`),
    );
  for (const ep of authed) {
    test(`${ep.method} ${ep.path}: never a 5xx; a refused request changes nothing`, async () => {
      const input = ep.method === 'GET'
        ? fc.oneof(
            fc.tuple(pathOf(ep.path), query).map(([path, q]) => ({ path: `${path}?${q}`, opts: {} })),
            ...(ep.params ? [oneParamHostile(ep.params).map((q) => ({ path: `${realPath(ep.path)}?${q}`, opts: {} }))] : []),
          )
        : fc.oneof(
            fc.tuple(pathOf(ep.path), fc.oneof(bodyNear(ep.fields).map((body) => ({ body })), rawText.map((rawBody) => ({ rawBody })))).map(([path, opts]) => ({ path, opts })),
            ...(ep.valid ? [fc.constant(null).chain(() => oneFieldHostile(ep.valid!())).map((body) => ({ path: realPath(ep.path), opts: { body } }))] : []),
          );
      await fc.assert(
        fc.asyncProperty(input, async ({ path, opts }) => {
          const before = await fingerprint();
          const res = await t.client.request(ep.method, path, { token, ...opts });
          assertSafe(res.status, res.body, `${ep.method} ${path}`);
          if (res.status < 300 && ep.path === '/groups' && ep.method === 'POST') assertShowable(res.body.name);
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
        fc.constant(null).chain(() => oneFieldHostile({ conversationId: ids[0], clientMsgId: randomUUID(), body: 'fuzz', seq: 1 })),
        fc.record({ conversationId: anyId(), clientMsgId: fc.oneof(anyString(80), anyJson), body: fc.oneof(anyString(300), anyJson), seq: fc.oneof(fc.integer(), anyJson) }, { requiredKeys: [] }),
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
