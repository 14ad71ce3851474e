import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { TMessage } from '@chatbox/contracts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { FanoutQueue, OutboxRepository } from '@chatbox/server-jobs';
import { RedisService } from '@chatbox/server-redis';
import { connectSocket, createGroup, createTestApp, eventually, RecordingSocket, TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';
import { WorkerModule } from '../../worker/src/worker.module';

/**
 * The api delivers what it committed itself (ApiFanout): no worker, no queue between a commit
 * and the recipients' sockets; a conversation another process is delivering goes to the worker.
 */
describe('delivery by the api that committed', () => {
  let t: TestApp;
  let worker: INestApplicationContext | undefined;
  const sockets: RecordingSocket[] = [];
  /** Conversations whose delivery this api handed to the worker: the queue's own record can be gone at once, taken by a worker of a test file running beside this one. */
  const handedOver = new Set<string>();
  before(async () => {
    t = await createTestApp(ApiModule);
    const queue = t.app.get(FanoutQueue);
    const enqueue = queue.enqueue.bind(queue);
    queue.enqueue = (job) => {
      for (const range of job.ranges) handedOver.add(range.conversationId);
      return enqueue(job);
    };
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await worker?.close();
    await t.close();
  });

  const group = async () => {
    const [a, b] = await Promise.all([t.client.registerUser(), t.client.registerUser()]);
    const id = await createGroup(t.prisma, a.user.id, [b.user.id]);
    const socket = await connectSocket(t.baseUrl, b.accessToken);
    sockets.push(socket);
    return { id, sender: a, socket };
  };
  const send = (conversationId: string, token: string, clientMsgId: string) =>
    t.client.post<TMessage>(`/conversations/${conversationId}/messages`, { clientMsgId, body: clientMsgId }, token);

  test('a committed message reaches the members with no worker running, in order', async () => {
    const { id, sender, socket } = await group();
    for (const n of [1, 2, 3]) assert.equal((await send(id, sender.accessToken, `direct-${n}`)).status, 201);
    await eventually(() => socket.messages.filter((m) => m.conversationId === id).length === 3, 'three messages without a worker');
    assert.deepEqual(
      socket.messages.filter((m) => m.conversationId === id).map((m) => m.body),
      ['direct-1', 'direct-2', 'direct-3'],
    );
    assert.ok(!handedOver.has(id), 'the api delivered them itself');
  });

  test('a busy api still delivers what it committed itself (a job would not take the frames off it)', async () => {
    const { id, sender, socket } = await group();
    // this process (the api's) keeps its event loop ~95 % busy, as under a heavy load
    const spin = setInterval(() => {
      for (const end = performance.now() + 95; performance.now() < end; );
    }, 100);
    try {
      assert.equal((await send(id, sender.accessToken, 'while-busy')).status, 201);
      await eventually(() => socket.messages.some((m) => m.conversationId === id && m.body === 'while-busy'), 'delivered with no worker running');
    } finally {
      clearInterval(spin);
    }
    assert.ok(!handedOver.has(id), 'no fan-out job');
    assert.equal(socket.messages.filter((m) => m.conversationId === id).length, 1, 'exactly once');
  });

  test('a conversation whose delivery lock another process holds is left to the worker as a job, delivered once the lock is free', async () => {
    const { id, sender, socket } = await group();
    const config = t.app.get<AppConfig>(APP_CONFIG);
    const redis = t.app.get(RedisService).client;
    const lockKey = `${config.redisPrefix}:fanout:lock:${id}`;
    await redis.set(lockKey, 'another-process', 'PX', 60_000);
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
    await worker.init();
    assert.equal((await send(id, sender.accessToken, 'while-locked')).status, 201);
    await eventually(() => handedOver.has(id), 'a fan-out job for the locked conversation');
    // whichever worker takes the job waits for the lock
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(socket.messages.filter((m) => m.conversationId === id).length, 0, 'nothing delivered past the lock');
    await redis.del(lockKey);
    // the worker started above waits for the lock (as a running one would)
    await eventually(() => socket.messages.some((m) => m.conversationId === id && m.body === 'while-locked'), 'the worker delivers it');
    assert.equal(socket.messages.filter((m) => m.conversationId === id).length, 1, 'exactly once');
  });

  test('sends in quick succession: the senders are answered, their outbox rows cleared together afterwards', async () => {
    const { id, sender, socket } = await group();
    const outbox = t.app.get(OutboxRepository);
    const deleteMany = outbox.deleteMany.bind(outbox);
    let statements = 0;
    outbox.deleteMany = (entries) => {
      statements++;
      return deleteMany(entries);
    };
    try {
      for (let n = 1; n <= 10; n++) assert.equal((await send(id, sender.accessToken, `quick-${n}`)).status, 201);
      await eventually(async () => (await t.prisma.fanoutOutbox.count({ where: { conversationId: id } })) === 0, 'every outbox row cleared', 2_000);
    } finally {
      outbox.deleteMany = deleteMany;
    }
    assert.ok(statements <= 5, `${statements} DELETE statements for 10 sends (one per send before)`);
    await eventually(() => socket.messages.filter((m) => m.conversationId === id).length === 10, 'ten messages');
  });
});
