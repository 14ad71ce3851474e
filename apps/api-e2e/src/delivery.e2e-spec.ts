import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TMessage, TSendAck } from '@chatbox/contracts';
import { loadConfig } from '@chatbox/server-config';
import { PrismaService } from '@chatbox/server-db';
import {
  allConversationId,
  connectSocket,
  createDirect,
  createGroup,
  eventually,
  RecordingSocket,
} from '@chatbox/server-testing';
import { ApiProcess, Cluster } from './support/cluster';

/** Two api and two worker processes sharing PostgreSQL and Redis, as in production. */
describe('delivery across processes, and faults', () => {
  const cluster = new Cluster();
  const sockets: RecordingSocket[] = [];
  let prisma: PrismaService;
  let api1: ApiProcess;
  let api2: ApiProcess;
  let workers: ReturnType<Cluster['startWorker']>[];

  before(async () => {
    await cluster.prepare();
    prisma = new PrismaService({ ...loadConfig(), databaseUrl: cluster.databaseUrl, databasePoolSize: 4 });
    [api1, api2] = await Promise.all([cluster.startApi('api1'), cluster.startApi('api2')]);
    workers = [cluster.startWorker('worker1'), cluster.startWorker('worker2')];
    await cluster.waitForWorkers(2);
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await prisma.$disconnect();
    await cluster.stopAll();
  });

  const connect = async (api: ApiProcess, token: string, features?: string[]) => {
    const s = await connectSocket(api.baseUrl, token, { features });
    sockets.push(s);
    return s;
  };
  const users = (api: ApiProcess, n: number) => Promise.all(Array.from({ length: n }, () => api.client.registerUser()));
  const send = (api: ApiProcess, conversationId: string, token: string, clientMsgId: string) =>
    api.client.post<TMessage>(`/conversations/${conversationId}/messages`, { clientMsgId, body: clientMsgId }, token);
  const received = (s: RecordingSocket, conversationId: string) => s.messages.filter((m) => m.conversationId === conversationId);

  test('a user on api #1 receives, in seq order and exactly once, what others send through api #2', async () => {
    const [a, b, c] = await users(api2, 3);
    const direct = await createDirect(prisma, a.user.id, b.user.id);
    const group = await createGroup(prisma, b.user.id, [a.user.id, c.user.id]);
    const all = await allConversationId(prisma);
    const aTab = await connect(api1, a.accessToken);
    const bOn2 = await connect(api2, b.accessToken);
    const cOn2 = await connect(api2, c.accessToken);
    const sentIds = new Map<string, string[]>([[direct, []], [group, []], [all, []]]);
    const sentAt = new Map<string, number>();
    // b over REST and c over the socket, concurrently, 15 messages per conversation each
    const viaSocket = (s: RecordingSocket, conversationId: string, clientMsgId: string) =>
      new Promise<TSendAck>((resolve) => s.socket.emit('message:send', { conversationId, clientMsgId, body: clientMsgId }, resolve));
    await Promise.all([
      (async () => {
        for (let i = 0; i < 15; i++) {
          for (const conv of [direct, group, all]) {
            sentAt.set(`mp-b-${conv}-${i}`, Date.now());
            const res = await send(api2, conv, b.accessToken, `mp-b-${conv}-${i}`);
            assert.equal(res.status, 201);
            sentIds.get(conv)!.push(res.body.id);
          }
        }
      })(),
      (async () => {
        for (let i = 0; i < 15; i++) {
          for (const conv of [group, all]) {
            const ack = await viaSocket(cOn2, conv, `mp-c-${conv}-${i}`);
            assert.ok('message' in ack, JSON.stringify(ack));
            sentIds.get(conv)!.push(ack.message.id);
          }
        }
      })(),
    ]);
    const mine = (conv: string) => received(aTab, conv).filter((m) => sentIds.get(conv)!.includes(m.id));
    await eventually(() => mine(direct).length >= 15 && mine(group).length >= 30 && mine(all).length >= 30, 'a got every message', 30_000);
    await new Promise((r) => setTimeout(r, 500)); // room for a late duplicate to show up
    for (const conv of [direct, group, all]) {
      const seqs = received(aTab, conv).map((m) => m.seq);
      // every event of the conversation (for `all`, others' too) strictly ascending: in order, none twice
      assert.deepEqual(seqs, [...new Set(seqs)].sort((x, y) => x - y), `order in ${conv}`);
      assert.deepEqual(new Set(mine(conv).map((m) => m.id)), new Set(sentIds.get(conv)));
    }
    // direct and group: nothing but what was sent, seq 1..n
    assert.deepEqual(received(aTab, direct).map((m) => m.seq), Array.from({ length: 15 }, (_, i) => i + 1));
    assert.deepEqual(received(aTab, group).map((m) => m.seq), Array.from({ length: 30 }, (_, i) => i + 1));
    assert.equal(received(bOn2, direct).length, 15); // the sender's own tab on api #2 too
    const latencies = [...sentAt].map(([id, t0]) => aTab.arrivedAt.get(id)! - t0).sort((x, y) => x - y);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
    console.log(`# latency REST send on api #2 -> socket event on api #1: p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms (n=${latencies.length})`);
  });

  test('presence is counted across api processes: first socket online, last socket offline', async () => {
    const [watcher, roamer] = await users(api1, 2);
    const watch = await connect(api2, watcher.accessToken);
    const events = () => watch.presence.filter((p) => p.userId === roamer.user.id).map((p) => p.online);
    const tab1 = await connect(api1, roamer.accessToken);
    await eventually(() => events().length === 1, 'online event');
    const tab2 = await connect(api2, roamer.accessToken);
    tab1.close(); // still online through api #2
    await new Promise((r) => setTimeout(r, 500));
    // if api #1 counted the close before api #2 counted the new tab, the watcher may hear of it,
    // but the last word is "online": announcements carry the state in Redis when they are sent
    assert.equal(events().at(-1), true, `events: ${events().join(', ')}`);
    const before = events().length;
    tab2.close();
    await eventually(() => events().length > before, 'offline event');
    assert.equal(events().at(-1), false);
  });

  test('across processes a version-1 socket gets `message` and `presence` only; a batch socket gets batches', async () => {
    const [a, b, ...arriving] = await users(api1, 6);
    const group = await createGroup(prisma, a.user.id, [b.user.id]);
    const [v1, batch] = [await connect(api1, b.accessToken, []), await connect(api2, b.accessToken, ['batch'])];
    const sender = await connect(api2, a.accessToken);
    const acks = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        new Promise<TSendAck>((resolve) => sender.socket.emit('message:send', { conversationId: group, clientMsgId: `cap-${i}`, body: 'x' }, resolve)),
      ),
    );
    assert.ok(acks.every((ack) => 'message' in ack));
    await eventually(() => received(v1, group).length === 40 && received(batch, group).length === 40, 'all 40 on both');
    assert.deepEqual(received(v1, group).map((m) => m.seq), Array.from({ length: 40 }, (_, i) => i + 1));
    assert.ok((batch.events.get('messages') ?? 0) > 0);
    // several users come online on api #2 at once: api #1's version-1 socket hears each alone
    const ids = new Set(arriving.map((u) => u.user.id));
    await Promise.all(arriving.map((u) => connect(api2, u.accessToken)));
    const heard = (s: RecordingSocket) => new Set(s.presence.filter((p) => p.online && ids.has(p.userId)).map((p) => p.userId));
    await eventually(() => heard(v1).size === 4 && heard(batch).size === 4, 'four arrivals heard on both');
    assert.equal(v1.events.get('messages') ?? 0, 0);
    assert.equal(v1.events.get('presence:batch') ?? 0, 0);
  });

  test('kill -9 a worker while it fans out 1,000 messages, start another: every online recipient gets all 1,000', async () => {
    const [owner, ...recipients] = await users(api1, 5);
    const group = await createGroup(prisma, owner.user.id, recipients.map((r) => r.user.id));
    const tabs = await Promise.all(recipients.map((r, i) => connect(i % 2 ? api2 : api1, r.accessToken)));
    // a backlog of 1,000 fan-out jobs with no worker running, so the next worker is surely mid-way
    // when killed: sent through an api that leaves every delivery to the queue (the apis deliver
    // what they commit themselves otherwise, see api-fanout.int-spec)
    await Promise.all(workers.splice(0).map((w) => cluster.kill(w)));
    const queueing = await cluster.startApi('api-queue', { FANOUT_IN_API: 'false' });
    await Promise.all(
      [owner, ...recipients].map(async (s, k) => {
        for (let i = 0; i < 200; i++) {
          const res = await queueing.client.post(`/conversations/${group}/messages`, { clientMsgId: `k-${k}-${i}`, body: 'x' }, s.accessToken);
          assert.equal(res.status, 201);
        }
      }),
    );
    assert.equal(received(tabs[0], group).length, 0);
    const doomed = cluster.startWorker('worker3');
    await eventually(() => received(tabs[0], group).length >= 200, 'fan-out under way', 60_000);
    await cluster.kill(doomed);
    const atKill = received(tabs[0], group).length;
    assert.ok(atKill < 1000, `worker3 was killed mid-way (${atKill} delivered)`);
    workers.push(cluster.startWorker('worker4'));
    const ids = new Set((await prisma.message.findMany({ where: { conversationId: group }, select: { id: true } })).map((m) => m.id));
    assert.equal(ids.size, 1000);
    const unique = (s: RecordingSocket) => [...new Map(received(s, group).map((m) => [m.id, m])).values()];
    await eventually(() => tabs.every((t) => unique(t).length === 1000), 'all 1,000 at every recipient', 90_000);
    await new Promise((r) => setTimeout(r, 500));
    for (const t of tabs) {
      const deduped = unique(t);
      // after client-side dedupe by id: exactly the 1,000 stored messages, each once, in seq order
      assert.deepEqual(new Set(deduped.map((m) => m.id)), ids);
      assert.deepEqual(deduped.map((m) => m.seq), Array.from({ length: 1000 }, (_, i) => i + 1));
    }
    const raw = tabs.map((t) => received(t, group).length);
    console.log(`# worker drill: killed after ${atKill} delivered; events per recipient before dedupe ${raw.join(', ')}`);
  });

  test('kill the api right after a commit (test hook): the message is still delivered in real time', async () => {
    const crashing = await cluster.startApi('api-crash', { CHATBOX_CRASH_AFTER_COMMIT: 'true' });
    const [a, b] = await users(api1, 2);
    const group = await createGroup(prisma, a.user.id, [b.user.id]);
    const bTab = await connect(api1, b.accessToken);
    const started = Date.now();
    await assert.rejects(send(crashing, group, a.accessToken, 'crash-1')); // no answer: it died after commit
    assert.equal(await crashing.proc.exited, 75);
    const stored = await prisma.message.findFirstOrThrow({ where: { conversationId: group, clientMsgId: 'crash-1' } });
    await eventually(() => received(bTab, group).some((m) => m.id === stored.id), 'delivery through the outbox relay', 30_000);
    console.log(`# crash drill: delivered ${Date.now() - started} ms after the send`);
    assert.equal(await prisma.fanoutOutbox.count({ where: { conversationId: group, eventSeq: stored.eventSeq } }), 0);
    // the sender's retry against a healthy api gets the stored message, not a second one
    const retry = await send(api1, group, a.accessToken, 'crash-1');
    assert.equal(retry.status, 200);
    assert.equal(retry.body.id, stored.id);
  });

  test('a killed api process does not leave its users online', async () => {
    const [watcher, victim] = await users(api2, 2);
    const watch = await connect(api2, watcher.accessToken);
    const doomed = await cluster.startApi('api-doomed');
    await connect(doomed, victim.accessToken);
    const events = () => watch.presence.filter((p) => p.userId === victim.user.id).map((p) => p.online);
    await eventually(() => events().length === 1, 'online event');
    await cluster.kill(doomed.proc);
    await eventually(() => events().length === 2, 'offline after the heartbeat expires', 40_000);
    assert.deepEqual(events(), [true, false]);
  });
});
