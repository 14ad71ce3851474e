import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AUTH_COOKIE, TConversation, TMessage, TSendAck } from '@chatbox/contracts';
import {
  allConversationId,
  connectSocket,
  createGroup,
  createTestApp,
  eventually,
  RecordingSocket,
  TestApp,
} from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';
import { WorkerModule } from '../../worker/src/worker.module';

/** One api and one worker in this process: real Socket.IO, Redis adapter, BullMQ, PostgreSQL. */
describe('real-time delivery, isolation and catch-up', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  const sockets: RecordingSocket[] = [];
  before(async () => {
    t = await createTestApp(ApiModule);
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'] });
    await worker.init();
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await worker.close();
    await t.close();
  });

  const connect = async (token?: string, extraHeaders?: Record<string, string>) => {
    const s = await connectSocket(t.baseUrl, token, { extraHeaders });
    sockets.push(s);
    return s;
  };
  const send = (conversationId: string, token: string, clientMsgId: string, body = clientMsgId) =>
    t.client.post<TMessage>(`/conversations/${conversationId}/messages`, { clientMsgId, body }, token);
  const emitAck = <T>(s: RecordingSocket, event: 'message:send' | 'read', payload: unknown): Promise<T> =>
    new Promise((resolve) => (s.socket.emit as any)(event, payload, resolve));
  const users = (n: number) => Promise.all(Array.from({ length: n }, () => t.client.registerUser()));
  const ofConversation = (s: RecordingSocket, id: string) => s.messages.filter((m) => m.conversationId === id);

  test('the handshake refuses a missing, garbage or revoked token with "unauthorized"', async () => {
    await assert.rejects(connect(), /unauthorized/);
    await assert.rejects(connect('not-a-jwt'), /unauthorized/);
    const [u] = await users(1);
    assert.equal((await t.client.post('/auth/logout', undefined, u.accessToken)).status, 204);
    await assert.rejects(connect(u.accessToken), /unauthorized/);
  });

  test('logout closes the sockets of that login only', async () => {
    const [u] = await users(1);
    const other = await t.client.post('/auth/login', { username: u.user.username, password: u.password });
    const [first, second] = [await connect(u.accessToken), await connect(other.body.accessToken)];
    const closed = new Promise((resolve) => first.socket.once('disconnect', resolve));
    assert.equal((await t.client.post('/auth/logout', undefined, u.accessToken)).status, 204);
    await closed;
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(second.socket.connected);
  });

  test('the httpOnly cookie authenticates a browser socket', async () => {
    const [u] = await users(1);
    const s = await connect(undefined, { cookie: `${AUTH_COOKIE}=${u.accessToken}` });
    assert.ok(s.socket.connected);
  });

  test('members receive a message sent over REST, the sender\'s other tab too, once each', async () => {
    const [a, b] = await users(2);
    const group = await createGroup(t.prisma, a.user.id, [b.user.id]);
    const [aTab, bTab] = [await connect(a.accessToken), await connect(b.accessToken)];
    const sent = (await send(group, a.accessToken, 'live-1')).body;
    await eventually(() => ofConversation(bTab, group).length === 1 && ofConversation(aTab, group).length === 1, 'both tabs');
    assert.deepEqual(ofConversation(bTab, group)[0], sent);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(ofConversation(bTab, group).length, 1);
  });

  test('message:send answers {message} after commit; a retry answers the same message', async () => {
    const [a, b] = await users(2);
    const group = await createGroup(t.prisma, a.user.id, [b.user.id]);
    const [aTab, bTab] = [await connect(a.accessToken), await connect(b.accessToken)];
    const ack = await emitAck<TSendAck>(aTab, 'message:send', { conversationId: group, clientMsgId: 'sock-1', body: '\nhi \n' });
    assert.ok('message' in ack, JSON.stringify(ack));
    assert.equal(ack.message.seq, 1);
    assert.equal(ack.message.body, 'hi');
    const stored = await t.prisma.message.findUniqueOrThrow({ where: { id: ack.message.id } });
    assert.equal(stored.seq, 1);
    const again = await emitAck<TSendAck>(aTab, 'message:send', { conversationId: group, clientMsgId: 'sock-1', body: 'hi' });
    assert.deepEqual(again, ack);
    await eventually(() => ofConversation(bTab, group).length === 1, 'delivery to b');
  });

  test('a burst to one group reaches each member once and in seq order, several messages per event', async () => {
    const [a, b] = await users(2);
    const group = await createGroup(t.prisma, a.user.id, [b.user.id]);
    const [aTab, bTab] = [await connect(a.accessToken), await connect(b.accessToken)];
    const eventSizes: number[] = [];
    bTab.socket.on('message', () => eventSizes.push(1));
    bTab.socket.on('messages', (e) => eventSizes.push(e.messages.length));
    const acks = await Promise.all(
      Array.from({ length: 30 }, (_, i) => emitAck<TSendAck>(aTab, 'message:send', { conversationId: group, clientMsgId: `burst-${i}`, body: `b${i}` })),
    );
    assert.ok(acks.every((ack) => 'message' in ack), JSON.stringify(acks));
    await eventually(() => ofConversation(bTab, group).length === 30, 'all 30 at b');
    assert.deepEqual(ofConversation(bTab, group).map((m) => m.seq), Array.from({ length: 30 }, (_, i) => i + 1));
    // sends arriving within the batch window are stored together and delivered as one event
    assert.ok(eventSizes.length < 30, `events of ${eventSizes.join(', ')} messages`);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(ofConversation(bTab, group).length, 30);
  });

  test('bad socket payloads get a validation_failed ack naming the field; the socket lives on', async () => {
    const [a] = await users(1);
    const group = await createGroup(t.prisma, a.user.id);
    const s = await connect(a.accessToken);
    const cases: Array<[unknown, string]> = [
      [undefined, 'body'],
      ['just a string', 'body'],
      [{ conversationId: group, clientMsgId: 'e1', body: '' }, 'body'],
      [{ conversationId: group, clientMsgId: 'e2', body: 'z'.repeat(4001) }, 'body'],
      [{ conversationId: 'nope', clientMsgId: 'e3', body: 'x' }, 'conversationId'],
      [{ conversationId: group, body: 'x' }, 'clientMsgId'],
    ];
    for (const [payload, field] of cases) {
      const ack = await emitAck<any>(s, 'message:send', payload);
      assert.equal(ack.error?.code, 'validation_failed', JSON.stringify(ack));
      assert.ok(ack.error.fields[field], `${JSON.stringify(payload)?.slice(0, 80)} -> ${JSON.stringify(ack)}`);
    }
    const readAck = await emitAck<any>(s, 'read', { conversationId: group, seq: -1 });
    assert.equal(readAck.error?.code, 'validation_failed');
    assert.equal(await t.prisma.message.count({ where: { conversationId: group } }), 0);
    const ok = await emitAck<TSendAck>(s, 'message:send', { conversationId: group, clientMsgId: 'fine', body: 'fine' });
    assert.ok('message' in ok);
    // a frame over maxHttpBufferSize (64 KB) closes that socket, nothing is stored, the server lives on
    const closed = new Promise((resolve) => s.socket.once('disconnect', resolve));
    s.socket.emit('message:send', { conversationId: group, clientMsgId: 'huge', body: 'h'.repeat(70_000) }, () => undefined);
    await closed;
    assert.equal(await t.prisma.message.count({ where: { conversationId: group } }), 1);
    assert.ok((await connect(a.accessToken)).socket.connected);
  });

  test('a non-member gets not_found over the socket and never sees the conversation\'s events', async () => {
    const [a, outsider] = await users(2);
    const group = await createGroup(t.prisma, a.user.id);
    const [aTab, spy] = [await connect(a.accessToken), await connect(outsider.accessToken)];
    const ack = await emitAck<any>(spy, 'message:send', { conversationId: group, clientMsgId: 'spy', body: 'x' });
    assert.equal(ack.error?.code, 'not_found');
    const readAck = await emitAck<any>(spy, 'read', { conversationId: group, seq: 1 });
    assert.equal(readAck.error?.code, 'not_found');
    for (let i = 0; i < 5; i++) await send(group, a.accessToken, `p${i}`);
    await eventually(() => ofConversation(aTab, group).length === 5, 'owner got all 5');
    assert.equal(ofConversation(spy, group).length, 0);
  });

  test('a removed member\'s open socket gets nothing sent to the group after the removal', async () => {
    const [owner, stays, leaves] = await users(3);
    const group = await createGroup(t.prisma, owner.user.id, [stays.user.id, leaves.user.id]);
    const [staysTab, leavesTab] = [await connect(stays.accessToken), await connect(leaves.accessToken)];
    await send(group, owner.accessToken, 'before-removal');
    await eventually(() => ofConversation(leavesTab, group).length === 1, 'delivery before removal');
    assert.equal((await t.client.delete(`/groups/${group}/members/${leaves.user.id}`, owner.accessToken)).status, 204);
    for (let i = 0; i < 10; i++) await send(group, owner.accessToken, `after-${i}`);
    await eventually(() => ofConversation(staysTab, group).length === 11, 'the remaining member got everything');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(ofConversation(leavesTab, group).map((m) => m.clientMsgId), ['before-removal']);
    assert.equal((await t.client.get(`/conversations/${group}/messages`, leaves.accessToken)).status, 404);
  });

  test('a member added to a group receives the next message at once', async () => {
    const [owner, newcomer] = await users(2);
    const group = await createGroup(t.prisma, owner.user.id);
    const [ownerTab, newcomerTab] = [await connect(owner.accessToken), await connect(newcomer.accessToken)];
    await send(group, owner.accessToken, 'before-joining');
    await eventually(() => ofConversation(ownerTab, group).length === 1, 'the owner got the first message');
    assert.equal((await t.client.post(`/groups/${group}/members`, { userIds: [newcomer.user.id] }, owner.accessToken)).status, 200);
    await send(group, owner.accessToken, 'after-joining');
    await eventually(() => ofConversation(newcomerTab, group).length === 1, 'the newcomer got the message sent after joining');
    assert.deepEqual(ofConversation(newcomerTab, group).map((m) => m.clientMsgId), ['after-joining']);
  });

  test('read moves the pointer and tells the user\'s other tabs', async () => {
    const [a, b] = await users(2);
    const group = await createGroup(t.prisma, a.user.id, [b.user.id]);
    for (let i = 0; i < 3; i++) await send(group, a.accessToken, `r${i}`);
    const [tab1, tab2] = [await connect(b.accessToken), await connect(b.accessToken)];
    const reads: unknown[] = [];
    tab2.socket.on('read', (e) => reads.push(e));
    assert.deepEqual(await emitAck(tab1, 'read', { conversationId: group, seq: 2 }), { ok: true });
    await eventually(() => reads.length === 1, 'read event on the other tab');
    assert.deepEqual(reads[0], { conversationId: group, readSeq: 2 });
  });

  test('offline catch-up: 1,000 messages in a group and in all, fetched in order, unread drops to zero', async () => {
    const [away, ...senders] = await users(5);
    const group = await createGroup(t.prisma, senders[0].user.id, [away.user.id, ...senders.map((s) => s.user.id)]);
    const all = await allConversationId(t.prisma);
    const s = await connect(away.accessToken);
    s.close();
    // 4 senders x 250 into each conversation, concurrently
    const mine = { [group]: new Set<string>(), [all]: new Set<string>() };
    await Promise.all(
      senders.flatMap((sender, k) =>
        [group, all].map(async (conv) => {
          for (let i = 0; i < 250; i++) {
            const res = await send(conv, sender.accessToken, `off-${conv}-${k}-${i}`);
            assert.equal(res.status, 201);
            mine[conv].add(res.body.id);
          }
        }),
      ),
    );
    const login = await t.client.post('/auth/login', { username: away.user.username, password: away.password });
    const token = login.body.accessToken as string;
    // one request gives every conversation's unread count and lastSeq
    const list = async () => {
      const res = await t.client.get('/conversations?limit=100', token);
      assert.equal(res.status, 200);
      return new Map<string, TConversation>((res.body.items as TConversation[]).map((c) => [c.id, c]));
    };
    const unread = async (conv: string) => (await list()).get(conv)!.unread;
    const atLogin = await list();
    assert.equal(atLogin.get(group)!.unread, 1000);
    assert.equal(atLogin.get(group)!.lastSeq, 1000);
    assert.ok(atLogin.get(all)!.unread >= 1000);
    for (const conv of [group, all]) {
      const { lastSeq, readSeq } = atLogin.get(conv)!;
      // the group had no messages when away was added; all's earlier history was read at sign-up
      if (conv === group) assert.equal(readSeq, 0);
      const got: TMessage[] = [];
      let requests = 0;
      for (let afterSeq = readSeq; ; ) {
        const page = await t.client.get(`/conversations/${conv}/messages?after=${afterSeq}&limit=100`, token);
        requests++;
        assert.equal(page.status, 200);
        if (page.body.items.length === 0) break;
        got.push(...page.body.items);
        afterSeq = page.body.items.at(-1).seq;
        assert.equal((await t.client.post(`/conversations/${conv}/read`, { seq: afterSeq }, token)).status, 204);
        assert.ok((await unread(conv)) <= lastSeq - afterSeq);
      }
      // everything up to the lastSeq seen at login, in order, no gap, none twice
      const upTo = got.filter((m) => m.seq <= lastSeq);
      assert.deepEqual(upTo.map((m) => m.seq), Array.from({ length: lastSeq - readSeq }, (_, i) => readSeq + i + 1));
      for (const id of mine[conv]) assert.ok(upTo.some((m) => m.id === id));
      assert.ok(requests <= Math.ceil(got.length / 100) + 1);
      if (conv === group) assert.equal(await unread(conv), 0);
    }
  });
});
