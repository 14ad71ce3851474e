import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter, type RedisAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { Server } from 'socket.io';
import { type TChange, type TMessage, userRoom } from '@chatbox/contracts';
import { aMessage, person } from '@chatbox/contracts/testing';
import { REALTIME_PUBLISHER, type RealtimePublisher } from '@chatbox/server-chat';
import { APP_CONFIG, type AppConfig } from '@chatbox/server-config';
import { LocalSockets, RedisRealtimePublisher, socketIoKey } from '@chatbox/server-realtime';
import { RedisService } from '@chatbox/server-redis';
import { connectSocket, createTestApp, eventually, type RecordingSocket, type TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

/** A message as a delivery carries it; only its ids and body matter here. */
const message = (userId: string, conversationId: string, seq: number): TMessage =>
  aMessage({ id: crypto.randomUUID(), seq, conversationId, sender: person(userId), body: `m${seq}`, clientMsgId: `c${seq}-${conversationId}`, createdAt: new Date().toISOString() });
const created = (m: TMessage): TChange => ({ kind: 'created', message: m });

/**
 * The api emits what it delivers in its turn (RangeDelivery, under the conversation's lock) to its
 * own sockets at once, not through Redis and back (RedisRealtimePublisher.changesInTurn); the other
 * api processes get it through Redis; and a turn that follows another process's does not overtake
 * what that process published.
 */
describe('deliveries in turn: the api emits to its own sockets at once', () => {
  let t: TestApp;
  let publisher: RealtimePublisher;
  let subscriber: Redis;
  /** Another api process: a Socket.IO server with the Redis adapter on the same channels. */
  let other: { http: HttpServer; io: Server; clients: Redis[]; requests: Array<{ conversationId: string; userIds: string[] }> };
  const sockets: Array<{ close: () => void }> = [];

  before(async () => {
    t = await createTestApp(ApiModule);
    publisher = t.app.get<RealtimePublisher>(REALTIME_PUBLISHER);
    const server = t.app.get(LocalSockets).server;
    assert.ok(server, 'the api attached its Socket.IO server');
    subscriber = (server.of('/').adapter as unknown as RedisAdapter).subClient as Redis;
    const redis = t.app.get(RedisService);
    const clients = [redis.connect('other-api-pub'), redis.connect('other-api-sub')];
    const http = createServer();
    const otherIo = new Server(http, { transports: ['websocket'] });
    otherIo.adapter(createAdapter(clients[0], clients[1], { key: socketIoKey(t.app.get<AppConfig>(APP_CONFIG)) }));
    otherIo.on('connection', (socket) => void socket.join(userRoom(String(socket.handshake.auth.userId))));
    const requests: Array<{ conversationId: string; userIds: string[] }> = [];
    otherIo.on('deliver:changes', (delivery: { conversationId: string; userIds: string[] }) => requests.push(delivery));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    other = { http, io: otherIo, clients, requests };
  });
  after(async () => {
    subscriber.stream.resume();
    sockets.forEach((s) => s.close());
    await new Promise((resolve) => other.io.close(resolve));
    other.clients.forEach((c) => c.disconnect());
    await t.close();
  });

  const user = async (): Promise<{ id: string; here: RecordingSocket; elsewhere: ClientSocket; elsewhereGot: string[] }> => {
    const { user: u, accessToken } = await t.client.registerUser();
    const here = await connectSocket(t.baseUrl, accessToken);
    const elsewhere = connectClient(`http://127.0.0.1:${(other.http.address() as AddressInfo).port}`, { transports: ['websocket'], auth: { userId: u.id }, forceNew: true });
    const elsewhereGot: string[] = [];
    elsewhere.on('message', (m: TMessage) => elsewhereGot.push(m.body));
    await new Promise<void>((resolve) => elsewhere.once('connect', () => resolve()));
    sockets.push(here, { close: () => elsewhere.disconnect() });
    return { id: u.id, here, elsewhere, elsewhereGot };
  };
  const bodies = (s: RecordingSocket, conversationId: string) => s.messages.filter((m) => m.conversationId === conversationId).map((m) => m.body);

  test('a delivery in turn reaches the sockets here while nothing comes back from Redis, and the other process through Redis', async () => {
    const u = await user();
    const conversationId = crypto.randomUUID();
    subscriber.stream.pause(); // this api hears nothing from Redis now
    try {
      await publisher.changesInTurn([u.id], conversationId, [created(message(u.id, conversationId, 1))]);
      await eventually(() => bodies(u.here, conversationId).length === 1, 'the message on the socket here', 2_000);
      await eventually(() => u.elsewhereGot.includes('m1'), 'the message on the other process');
    } finally {
      subscriber.stream.resume();
    }
    await publisher.othersDelivered();
    assert.deepEqual(bodies(u.here, conversationId), ['m1'], 'once: its own publish is not emitted here again');
  });

  test('several changes in turn: framed here, requested from the other processes', async () => {
    const u = await user();
    const conversationId = crypto.randomUUID();
    const [m1, m2] = [message(u.id, conversationId, 1), message(u.id, conversationId, 2)];
    subscriber.stream.pause();
    try {
      await publisher.changesInTurn([u.id], conversationId, [created(m1), created(m2)]);
      await eventually(() => bodies(u.here, conversationId).length === 2, 'both messages on the socket here', 2_000);
      await eventually(() => other.requests.some((r) => r.conversationId === conversationId && r.userIds.includes(u.id)), 'a delivery request to the other process');
    } finally {
      subscriber.stream.resume();
    }
    assert.equal(u.here.events.get('messages'), 1, 'one `messages` frame for a batch socket');
  });

  test('a turn after another process waits until what that process published has reached the sockets here', async () => {
    const u = await user();
    const conversationId = crypto.randomUUID();
    // the worker: no sockets of its own, it publishes through Redis
    const worker = new RedisRealtimePublisher(t.app.get(RedisService), t.app.get<AppConfig>(APP_CONFIG), new LocalSockets());
    subscriber.stream.pause();
    let waited = false;
    try {
      await worker.changesInTurn([u.id], conversationId, [created(message(u.id, conversationId, 1))]);
      const caughtUp = publisher.othersDelivered().then(() => (waited = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(waited, false, 'not caught up while the earlier publish has not arrived');
      subscriber.stream.resume();
      await caughtUp;
    } finally {
      subscriber.stream.resume();
    }
    await publisher.changesInTurn([u.id], conversationId, [created(message(u.id, conversationId, 2))]);
    await eventually(() => bodies(u.here, conversationId).length === 2, 'both messages here');
    assert.deepEqual(bodies(u.here, conversationId), ['m1', 'm2'], 'the later turn did not overtake the earlier one');
  });

  test('a subscriber that does not answer is replaced and the wait ends: broadcasts reach the sockets here again', async () => {
    const u = await user();
    const conversationId = crypto.randomUUID();
    const stalled = subscriber.stream;
    stalled.pause();
    const started = Date.now();
    await publisher.othersDelivered();
    assert.ok(Date.now() - started < 3_000, `the wait ended (${Date.now() - started} ms)`);
    await eventually(() => subscriber.status === 'ready' && subscriber.stream !== stalled, 'a new subscriber connection');
    await publisher.othersDelivered(); // answered on the new connection, after its subscriptions
    const worker = new RedisRealtimePublisher(t.app.get(RedisService), t.app.get<AppConfig>(APP_CONFIG), new LocalSockets());
    await worker.changesInTurn([u.id], conversationId, [created(message(u.id, conversationId, 1))]);
    await eventually(() => bodies(u.here, conversationId).length === 1, "another process's broadcast on the socket here");
  });
});
