import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TAuthResponse, TSendAck } from '@chatbox/contracts';
import { connectSocket, createGroup, createTestApp, recordErrorLogs, RecordingSocket, TestApp, uniqueUsername } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

type User = TAuthResponse & { password: string };

const NUL = '\u0000';
const LONE_SURROGATE = '\ud800';
/** A cursor as the api encodes one: base64url JSON of a sort key. */
const cursorOf = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
/** Mixed case: what a client may send for an id PostgreSQL writes in lower case. */
const mixedCase = (id: string) => id.replace(/[a-f]/g, (c, i: number) => (i % 2 ? c.toUpperCase() : c));

describe('security: input the database or the reader would trip over', () => {
  let t: TestApp;
  let errors: string[];
  let me: User;
  let peer: User;
  let group: string;
  let socket: RecordingSocket;

  before(async () => {
    t = await createTestApp(ApiModule);
    errors = recordErrorLogs(t.app);
    [me, peer] = [await t.client.registerUser(), await t.client.registerUser()];
    group = await createGroup(t.prisma, me.user.id, [peer.user.id]);
    socket = await connectSocket(t.baseUrl, me.accessToken);
  });
  after(async () => {
    socket?.close();
    await t?.close();
  });

  const sendAck = (payload: unknown): Promise<TSendAck> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no ack')), 5000);
      (socket.socket.emit as any)('message:send', payload, (ack: TSendAck) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
  const directsBetween = (a: string, b: string) =>
    t.prisma.conversation.count({ where: { kind: 'direct', AND: [{ memberships: { some: { userId: a } } }, { memberships: { some: { userId: b } } }] } });

  describe('finding 3: ids are one value however the client spells them', () => {
    test("the peer's id in upper or mixed case opens the one direct conversation of the pair", async () => {
      const [a, b] = [await t.client.registerUser(), await t.client.registerUser()];
      const opened = [];
      for (const spelling of [b.user.id.toUpperCase(), mixedCase(b.user.id), b.user.id]) {
        const res = await t.client.post('/conversations/direct', { userId: spelling }, a.accessToken);
        assert.ok(res.status === 200 || res.status === 201, JSON.stringify(res.body));
        opened.push(res.body.id);
        assert.equal(res.body.peer.id, b.user.id);
      }
      assert.equal(new Set(opened).size, 1, `one conversation, got ${opened.join(', ')}`);
      assert.equal(await directsBetween(a.user.id, b.user.id), 1);
      const fromPeer = await t.client.post('/conversations/direct', { userId: a.user.id.toUpperCase() }, b.accessToken);
      assert.equal(fromPeer.status, 200);
      assert.equal(fromPeer.body.id, opened[0]);
    });

    test('the own id in upper case is refused like the own id, and creates nothing', async () => {
      const a = await t.client.registerUser();
      const res = await t.client.post('/conversations/direct', { userId: a.user.id.toUpperCase() }, a.accessToken);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.ok(res.body.error.fields.userId);
      assert.equal(await t.prisma.membership.count({ where: { userId: a.user.id, conversation: { kind: 'direct' } } }), 0);
    });

    test('ids in a body are compared in one spelling: the owner listed in upper case stays the only owner', async () => {
      const res = await t.client.post('/groups', { name: 'spelled', memberIds: [me.user.id.toUpperCase(), peer.user.id.toUpperCase(), peer.user.id] }, me.accessToken);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.memberCount, 2);
      assert.equal(res.body.role, 'owner');
      const added = await t.client.post(`/groups/${res.body.id.toUpperCase()}/members`, { userIds: [mixedCase(peer.user.id)] }, me.accessToken);
      assert.equal(added.status, 200, JSON.stringify(added.body));
      assert.equal(added.body.id, res.body.id);
      assert.equal(added.body.memberCount, 2);
    });

    test('path ids in upper case name the same rows: a member leaves with their own id in upper case', async () => {
      const id = await createGroup(t.prisma, me.user.id, [peer.user.id]);
      const sent = await t.client.post(`/conversations/${id.toUpperCase()}/messages`, { clientMsgId: randomUUID(), body: 'hello' }, peer.accessToken);
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      assert.equal(sent.body.conversationId, id);
      const left = await t.client.delete(`/groups/${mixedCase(id)}/members/${peer.user.id.toUpperCase()}`, peer.accessToken);
      assert.equal(left.status, 204, JSON.stringify(left.body));
      assert.equal(await t.prisma.membership.count({ where: { conversationId: id, userId: peer.user.id } }), 0);
    });

    test('a malformed path id is a 400 naming the parameter, before any lookup; never a 5xx or an ERROR line', async () => {
      const before = errors.length;
      for (const [method, path, param] of [
        ['GET', '/conversations/%00/messages', 'id'],
        ['POST', `/conversations/${group}%00/read`, 'id'],
        ['GET', '/groups/not-an-id/members', 'id'],
        ['DELETE', `/groups/${group}/members/${me.user.id}%00`, 'userId'],
        ['DELETE', `/groups/${group}/members/%E2%80%AE${me.user.id}`, 'userId'],
        ['PUT', `/users/${peer.user.id}%E2%80%8B/block`, 'id'],
      ]) {
        const res = await t.client.request(method, path, { token: me.accessToken, body: method === 'POST' ? { seq: 1 } : undefined });
        assert.equal(res.status, 400, `${method} ${path}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.fields?.[param], 'must be an id', JSON.stringify(res.body));
      }
      // not even UTF-8: the router refuses it before any handler
      const garbled = await t.client.request('DELETE', `/groups/${group}/members/%ED%A0%80`, { token: me.accessToken });
      assert.equal(garbled.status, 400, JSON.stringify(garbled.body));
      assert.deepEqual(errors.slice(before), []);
      assert.equal(await t.prisma.membership.count({ where: { conversationId: group } }), 2);
    });

    test('socket payloads: a conversation id in upper case sends to that conversation', async () => {
      const ack = await sendAck({ conversationId: group.toUpperCase(), clientMsgId: randomUUID(), body: 'over the socket' });
      assert.ok('message' in ack, JSON.stringify(ack));
      assert.equal(ack.message.conversationId, group);
    });

    test('an id inside a cursor is read in one spelling too', async () => {
      const res = await t.client.get(`/users/online?cursor=${cursorOf([me.user.id.toUpperCase()])}`, me.accessToken);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(!res.body.items.some((u: { id: string }) => u.id <= me.user.id), 'the cursor is exclusive, in lower-case order');
    });
  });

  describe('finding 5: text PostgreSQL cannot store is refused with 400 naming the field, never a 500 or an ERROR line', () => {
    const far = ['-010000-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '0000-01-01T00:00:00.000Z'];
    /** [what, method, path, body, the field the 400 must name]; the token is the test user's unless `anonymous`. */
    const cases: Array<[string, 'GET' | 'POST', () => string, (() => unknown) | undefined, string, { anonymous?: boolean }?]> = [
      ['NUL in a login username', 'POST', () => '/auth/login', () => ({ username: `a${NUL}b`, password: 'whatever it is' }), 'username', { anonymous: true }],
      ['NUL in a login password', 'POST', () => '/auth/login', () => ({ username: 'somebody', password: `pass${NUL}word` }), 'password', { anonymous: true }],
      ['NUL in a new password', 'POST', () => '/auth/register', () => ({ username: uniqueUsername(), password: `correct horse${NUL}battery` }), 'password', { anonymous: true }],
      ['a lone surrogate in a display name', 'POST', () => '/auth/register', () => ({ username: uniqueUsername(), password: 'correct horse battery', displayName: `Al${LONE_SURROGATE}ice` }), 'displayName', { anonymous: true }],
      ['NUL in a message body', 'POST', () => `/conversations/${group}/messages`, () => ({ clientMsgId: randomUUID(), body: `hi${NUL}there` }), 'body'],
      ['a lone surrogate in a message body', 'POST', () => `/conversations/${group}/messages`, () => ({ clientMsgId: randomUUID(), body: `hi ${LONE_SURROGATE}` }), 'body'],
      ['NUL in a clientMsgId', 'POST', () => `/conversations/${group}/messages`, () => ({ clientMsgId: `c${NUL}`, body: 'hi' }), 'clientMsgId'],
      ['a lone surrogate in a clientMsgId', 'POST', () => `/conversations/${group}/messages`, () => ({ clientMsgId: `c${LONE_SURROGATE}`, body: 'hi' }), 'clientMsgId'],
      ['a lone surrogate in a group name', 'POST', () => '/groups', () => ({ name: `g${LONE_SURROGATE}` }), 'name'],
      ['NUL in the user search', 'GET', () => '/users?q=a%00b', undefined, 'q'],
      ['NUL in the group search', 'GET', () => '/groups?q=%00', undefined, 'q'],
      ['NUL in a cursor', 'GET', () => '/conversations?cursor=%00', undefined, 'cursor'],
      ['NUL inside a group search cursor', 'GET', () => `/groups?cursor=${cursorOf([0, `a${NUL}`, randomUUID()])}`, undefined, 'cursor'],
      ['a lone surrogate inside a group search cursor', 'GET', () => `/groups?cursor=${cursorOf([1, `a${LONE_SURROGATE}`, randomUUID()])}`, undefined, 'cursor'],
      ...far.flatMap((at): typeof cases => [
        [`the date ${at} in a conversation list cursor`, 'GET', () => `/conversations?cursor=${cursorOf([at, randomUUID()])}`, undefined, 'cursor'],
        [`the date ${at} in a member list cursor`, 'GET', () => `/groups/${group}/members?cursor=${cursorOf([at, randomUUID()])}`, undefined, 'cursor'],
      ]),
      ['a number where a cursor has a date', 'GET', () => `/conversations?cursor=${cursorOf([8.64e15, randomUUID()])}`, undefined, 'cursor'],
      ['a phase out of range in a user search cursor', 'GET', () => `/users?q=a&cursor=${cursorOf([7, randomUUID()])}`, undefined, 'cursor'],
      ['a cursor that is not base64url', 'GET', () => `/users?cursor=${encodeURIComponent('{"a":1}')}`, undefined, 'cursor'],
    ];
    test('the oldest and newest dates a cursor may hold are read, not refused', async () => {
      for (const at of ['0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z']) {
        const res = await t.client.get(`/groups/${group}/members?cursor=${cursorOf([at, randomUUID()])}`, me.accessToken);
        assert.equal(res.status, 200, `${at}: ${JSON.stringify(res.body)}`);
      }
    });

    for (const [what, method, path, body, field, opts] of cases) {
      test(what, async () => {
        const payload = body?.() as { username?: string } | undefined;
        // other test files write to this database meanwhile: count only what this request could store
        const registering = path() === '/auth/register';
        const stored = async () => ({
          messages: await t.prisma.message.count({ where: { conversationId: group } }),
          users: registering ? await t.prisma.user.count({ where: { username: payload?.username } }) : 0,
        });
        const before = { errors: errors.length, ...(await stored()) };
        const res = await t.client.request(method, path(), { token: opts?.anonymous ? undefined : me.accessToken, body: payload });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.error.code, 'validation_failed');
        assert.ok(res.body.error.fields?.[field], `names ${field}: ${JSON.stringify(res.body)}`);
        assert.deepEqual(errors.slice(before.errors), [], 'no ERROR was logged');
        assert.deepEqual(await stored(), { messages: before.messages, users: before.users }, 'nothing stored');
      });
    }

    test('over the socket: NUL and lone surrogates in message:send are refused naming the field', async () => {
      const before = errors.length;
      for (const [payload, field] of [
        [{ conversationId: group, clientMsgId: randomUUID(), body: `x${NUL}` }, 'body'],
        [{ conversationId: group, clientMsgId: `x${NUL}`, body: 'x' }, 'clientMsgId'],
        [{ conversationId: group, clientMsgId: randomUUID(), body: `x${LONE_SURROGATE}` }, 'body'],
      ] as const) {
        const ack = await sendAck(payload);
        assert.ok('error' in ack, JSON.stringify(ack));
        assert.equal(ack.error.code, 'validation_failed', JSON.stringify(ack));
        assert.ok(ack.error.fields?.[field], JSON.stringify(ack));
      }
      assert.deepEqual(errors.slice(before), []);
    });

    test('a refused message in a burst costs the others nothing: they are all stored', async () => {
      const sends = Array.from({ length: 12 }, (_, i) =>
        t.client.post(`/conversations/${group}/messages`, { clientMsgId: randomUUID(), body: i === 5 ? `bad${NUL}` : `good ${i}` }, i % 2 ? me.accessToken : peer.accessToken),
      );
      const statuses = (await Promise.all(sends)).map((r) => r.status);
      assert.deepEqual(statuses, statuses.map((_, i) => (i === 5 ? 400 : 201)));
    });
  });

  describe('finding 6: names with invisible or direction-changing characters', () => {
    const refused = [
      ['a right-to-left override', 'Eve\u202Egnp.exe'],
      ['a left-to-right isolate', '\u2066Eve'],
      ['a zero-width space', 'Ev\u200Be'],
      ['a zero-width space alone', '\u200B'],
      ['a byte order mark inside', 'Ev\uFEFFe'],
      ['a soft hyphen', 'Ev\u00ADe'],
      ['a line separator', 'Eve\u2028Admin'],
      ['a paragraph separator', 'Eve\u2029Admin'],
      ['a Hangul filler alone', '\u3164'],
      ['a combining mark alone', '\u0301'],
      ['a braille blank alone', '\u2800'],
    ];
    for (const [what, name] of refused) {
      test(`${what} is refused in display names and group names`, async () => {
        const username = uniqueUsername();
        const reg = await t.client.post('/auth/register', { username, password: 'correct horse battery', displayName: name });
        assert.equal(reg.status, 400, JSON.stringify(reg.body));
        assert.ok(reg.body.error.fields.displayName, JSON.stringify(reg.body));
        assert.equal(await t.prisma.user.count({ where: { usernameKey: username } }), 0);
        const created = await t.client.post('/groups', { name }, me.accessToken);
        assert.equal(created.status, 400, JSON.stringify(created.body));
        assert.ok(created.body.error.fields.name, JSON.stringify(created.body));
      });
    }

    test('names in any script, with accents and emoji (zero-width joiners inside emoji too), are accepted', async () => {
      for (const name of ['سارا', 'Zoë Ångström', '山田 太郎', '👩‍💻 Anna', '🏳️‍🌈 Pride', 'नमस्ते']) {
        const reg = await t.client.post('/auth/register', { username: uniqueUsername(), password: 'correct horse battery', displayName: name });
        assert.equal(reg.status, 201, `${name}: ${JSON.stringify(reg.body)}`);
        assert.equal(reg.body.user.displayName, name.normalize('NFKC'));
        const created = await t.client.post('/groups', { name }, me.accessToken);
        assert.equal(created.status, 201, `${name}: ${JSON.stringify(created.body)}`);
      }
    });
  });
});
