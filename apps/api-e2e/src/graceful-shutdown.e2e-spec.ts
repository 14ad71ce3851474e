import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TMessage, TSendAck } from '@chatbox/contracts';
import { Client } from 'pg';
import { connectSocket, createGroup, eventually, RecordingSocket } from '@chatbox/server-testing';
import { loadConfig } from '@chatbox/server-config';
import { PrismaService } from '@chatbox/server-db';
import { Cluster } from './support/cluster';

/**
 * Issue 15: SIGTERM stops accepting, lets requests and socket acks in flight finish, then closes
 * Redis and PostgreSQL. A send in flight is held by a row lock the test takes on its
 * conversation, so it is certainly in flight when the signal arrives.
 */
describe('graceful shutdown of the api', () => {
  const cluster = new Cluster();
  let prisma: PrismaService;
  const sockets: RecordingSocket[] = [];
  before(async () => {
    await cluster.prepare();
    prisma = new PrismaService({ ...loadConfig(), databaseUrl: cluster.databaseUrl, databasePoolSize: 2 });
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await prisma.$disconnect();
    await cluster.stopAll();
  });

  test('a send in flight over the socket and over REST during SIGTERM is answered and stored; nothing new is accepted', async () => {
    const api = await cluster.startApi('api-shutdown', { SHUTDOWN_DRAIN_MS: '20000' });
    const [ann, bob] = [await api.client.registerUser(), await api.client.registerUser()];
    const group = await createGroup(prisma, ann.user.id, [bob.user.id]);
    const socket = await connectSocket(api.baseUrl, ann.accessToken);
    sockets.push(socket);
    const viaSocket = (clientMsgId: string) =>
      new Promise<TSendAck>((resolve) => socket.socket.emit('message:send', { conversationId: group, clientMsgId, body: `body ${clientMsgId}` }, resolve));

    const lock = new Client({ connectionString: cluster.databaseUrl });
    await lock.connect();
    try {
      await lock.query('BEGIN');
      await lock.query('SELECT 1 FROM "Conversation" WHERE id = $1 FOR UPDATE', [group]);
      const socketSend = viaSocket('in-flight-socket');
      const restSend = api.client.post<TMessage>(`/conversations/${group}/messages`, { clientMsgId: 'in-flight-rest', body: 'body in-flight-rest' }, bob.accessToken);
      // both are waiting on the lock inside the api
      await eventually(async () => (await waitingOnLocks(lock)) >= 1, 'the sends to wait on the row lock');

      api.proc.child.kill('SIGTERM');
      // stopped accepting: no new connection; a new socket event is turned away, retryable
      await eventually(async () => !(await reachable(api.baseUrl)), 'the api to refuse new connections');
      const refused = await viaSocket('after-sigterm');
      assert.equal('error' in refused && refused.error.code, 'unavailable');
      assert.equal(api.proc.child.exitCode, null, 'still draining');

      await lock.query('COMMIT');
      const [socketAck, restAnswer] = await Promise.all([socketSend, restSend]);
      assert.ok('message' in socketAck, `the socket send is acknowledged: ${JSON.stringify(socketAck)}`);
      assert.equal(restAnswer.status, 201, JSON.stringify(restAnswer.body));
      assert.equal(await api.proc.exited, 0, 'a clean exit after the drain');
    } finally {
      await lock.end();
    }
    const stored = await prisma.message.findMany({ where: { conversationId: group }, select: { clientMsgId: true } });
    assert.deepEqual(stored.map((m) => m.clientMsgId).sort(), ['in-flight-rest', 'in-flight-socket']);
  });
});

async function waitingOnLocks(db: Client): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
  return rows[0]?.n ?? 0;
}

async function reachable(baseUrl: string): Promise<boolean> {
  try {
    await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}
