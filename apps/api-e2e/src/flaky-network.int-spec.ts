import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TSendAck } from '@chatbox/contracts';
import { connectSocket, createGroup, createTestApp, RecordingSocket, TestApp } from '@chatbox/server-testing';
import { FlakyProxy } from '@chatbox/tools';
import { ApiModule } from '../../api/src/app.module';

/** How long a send may take before it is answered `unavailable` here (SEND_ANSWER_MS). */
const SEND_ANSWER_MS = 1_500;
/** The api's PostgreSQL connections (DATABASE_POOL_SIZE): every one of them is stalled. */
const POOL_SIZE = 2;
/** How long the open connections carry nothing: longer than any answer may take. */
const STALL_MS = 12_000;

/** The url with its host and port replaced by the proxy's. */
const through = (url: string, proxy: FlakyProxy) => Object.assign(new URL(url), { hostname: '127.0.0.1', port: String(proxy.port) }).toString();

/**
 * An api whose PostgreSQL and Redis connections all pass through TCP proxies of the test's own
 * (the flaky-network drill's): a connection that stops carrying anything, without a reset, is
 * what a flaky network does, and neither end hears of it. A send must still be answered in
 * bounded time (acknowledged, or `unavailable` to retry), and the retry must not store it twice;
 * an edit likewise.
 */
describe('sends over a network that stops carrying packets', { timeout: 120_000 }, () => {
  let t: TestApp;
  let pg: FlakyProxy;
  let redis: FlakyProxy;
  const sockets: RecordingSocket[] = [];

  before(async () => {
    const port = (url: string, fallback: number) => Number(new URL(url).port || fallback);
    pg = await FlakyProxy.start(port(process.env.DATABASE_URL!, 5432), { latencyMs: 0, jitterMs: 0 });
    redis = await FlakyProxy.start(port(process.env.REDIS_URL!, 6379), { latencyMs: 0, jitterMs: 0 });
    process.env.DATABASE_URL = through(process.env.DATABASE_URL!, pg);
    process.env.REDIS_URL = through(process.env.REDIS_URL!, redis);
    process.env.SEND_ANSWER_MS = String(SEND_ANSWER_MS);
    process.env.DATABASE_POOL_SIZE = String(POOL_SIZE);
    t = await createTestApp(ApiModule);
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await t?.close();
    await Promise.all([pg?.close(), redis?.close()]);
  });

  /** The acknowledgement, or 'no answer' when none came within ms. */
  const sendWithin = (s: RecordingSocket, conversationId: string, clientMsgId: string, ms: number) =>
    new Promise<TSendAck | 'no answer'>((resolve) => {
      const timer = setTimeout(() => resolve('no answer'), ms);
      s.socket.emit('message:send', { conversationId, clientMsgId, body: clientMsgId }, (ack: TSendAck) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
  const sender = async () => {
    const [a, b] = await Promise.all([t.client.registerUser(), t.client.registerUser()]);
    const group = await createGroup(t.prisma, a.user.id, [b.user.id]);
    const socket = await connectSocket(t.baseUrl, a.accessToken);
    sockets.push(socket);
    // the path is warm (conversation kind known, pool open) before the network fails
    const warm = await sendWithin(socket, group, `${group}-warm`, 5_000);
    assert.ok(warm !== 'no answer' && 'message' in warm, JSON.stringify(warm));
    return { group, socket, token: a.accessToken, warmId: warm.message.id };
  };
  const stalled = async (proxy: FlakyProxy, during: () => Promise<void>) => {
    const over = Date.now() + STALL_MS;
    proxy.stallAll(STALL_MS);
    try {
      await during();
    } finally {
      // the network comes back: what it held goes through
      await new Promise((r) => setTimeout(r, Math.max(0, over - Date.now()) + 200));
    }
  };

  test('PostgreSQL carries nothing: the send is answered unavailable in time, later sends go through new connections, its retry stores it once', async () => {
    const { group, socket } = await sender();
    const clientMsgId = `${group}-stalled`;
    await stalled(pg, async () => {
      const started = Date.now();
      const ack = await sendWithin(socket, group, clientMsgId, SEND_ANSWER_MS + 2_500);
      assert.notEqual(ack, 'no answer', `no answer within ${SEND_ANSWER_MS + 2_500} ms while PostgreSQL carried nothing`);
      assert.ok(ack !== 'no answer' && 'error' in ack && ack.error.code === 'unavailable', JSON.stringify(ack));
      assert.ok(Date.now() - started >= SEND_ANSWER_MS - 50, 'answered only once the send had its time');
      // still within the stall: the connections that carried nothing are dropped as their
      // statements time out, and sends go through new ones (a pool of POOL_SIZE: at most that many refused)
      const later: Array<TSendAck | 'no answer'> = [];
      for (let n = 0; n <= POOL_SIZE && !later.some((a) => a !== 'no answer' && 'message' in a); n++) {
        later.push(await sendWithin(socket, group, `${group}-during-${n}`, SEND_ANSWER_MS + 2_500));
      }
      assert.ok(Date.now() - started < STALL_MS - 500, 'the stall is not over yet');
      assert.ok(later.some((a) => a !== 'no answer' && 'message' in a), `no send got through during the stall: ${JSON.stringify(later)}`);
    });
    // the client retries with the same clientMsgId: it gets the one stored message
    const retry = await sendWithin(socket, group, clientMsgId, 10_000);
    assert.ok(retry !== 'no answer' && 'message' in retry, JSON.stringify(retry));
    const rows = await t.prisma.message.findMany({ where: { conversationId: group, clientMsgId } });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].id, retry.message.id);
  });

  test('PostgreSQL carries nothing: an edit is answered unavailable in time, and done again it is stored', async () => {
    const { group, token, warmId } = await sender();
    const path = `/conversations/${group}/messages/${warmId}`;
    // the session check is fresh (SESSION_CACHE_MS) and the conversation known: only the edit's statement meets the stall
    assert.equal((await t.client.patch(path, { body: 'first edit' }, token)).status, 200);
    await stalled(pg, async () => {
      const started = Date.now();
      const res = await t.client.patch(path, { body: 'second edit' }, token);
      const took = Date.now() - started;
      assert.equal(res.status, 503, `answered ${res.status} after ${took} ms while PostgreSQL carried nothing`);
      assert.equal(res.body.error.code, 'unavailable');
      assert.ok(took >= SEND_ANSWER_MS - 50 && took < SEND_ANSWER_MS + 2_500, `answered after ${took} ms`);
    });
    const retry = await t.client.patch(path, { body: 'second edit' }, token);
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.equal((await t.prisma.message.findUniqueOrThrow({ where: { id: warmId } })).body, 'second edit');
  });

  test('Redis carries nothing: the send is answered unavailable in time, and the next one goes through a new connection', async () => {
    const { group, socket } = await sender();
    const clientMsgId = `${group}-redis-stalled`;
    await stalled(redis, async () => {
      const ack = await sendWithin(socket, group, clientMsgId, 4_000);
      assert.notEqual(ack, 'no answer', 'no answer within 4,000 ms while Redis carried nothing');
      assert.ok(ack !== 'no answer' && 'error' in ack && ack.error.code === 'unavailable', JSON.stringify(ack));
      // still within the stall: the command connection that answered nothing was replaced
      const next = await sendWithin(socket, group, `${group}-after-reconnect`, 3_000);
      assert.ok(next !== 'no answer' && 'message' in next, `a send during the stall, after the first was refused: ${JSON.stringify(next)}`);
    });
    const retry = await sendWithin(socket, group, clientMsgId, 10_000);
    assert.ok(retry !== 'no answer' && 'message' in retry, JSON.stringify(retry));
    assert.equal(await t.prisma.message.count({ where: { conversationId: group, clientMsgId } }), 1);
  });
});
