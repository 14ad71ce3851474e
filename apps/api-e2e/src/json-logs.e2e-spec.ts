import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { TSendAck } from '@chatbox/contracts';
import { connectSocket, createGroup, eventually, RecordingSocket } from '@chatbox/server-testing';
import { loadConfig } from '@chatbox/server-config';
import { PrismaService } from '@chatbox/server-db';
import { ApiProcess, Cluster } from './support/cluster';

/**
 * Issue 15: api and worker write JSON lines, the request id on every line written for a request,
 * and never a message body, password or token, even at the most verbose level. Real processes;
 * their whole output is searched.
 */
describe('JSON logs of a real run', () => {
  const cluster = new Cluster();
  let prisma: PrismaService;
  let api: ApiProcess;
  const output: string[] = [];
  const sockets: RecordingSocket[] = [];
  before(async () => {
    await cluster.prepare();
    prisma = new PrismaService({ ...loadConfig(), databaseUrl: cluster.databaseUrl, databasePoolSize: 2 });
    api = await cluster.startApi('api-logs', { LOG_LEVEL: 'verbose' }, { quiet: false });
    const worker = cluster.startWorker('worker-logs', { LOG_LEVEL: 'verbose' }, { quiet: false });
    for (const proc of [api.proc, worker]) {
      proc.child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
      proc.child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    }
    await cluster.waitForWorkers(1);
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await prisma.$disconnect();
    await cluster.stopAll();
  });

  test('a run with sign-ups, logins, sends, edits and a failure logs ids, never bodies or tokens', async () => {
    const secret = `body-${randomBytes(8).toString('hex')}`;
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const ann = await api.client.registerUser({ password });
    const bob = await api.client.registerUser();
    const login = await api.client.post('/auth/login', { username: ann.user.username, password });
    assert.equal(login.status, 200);
    const group = await createGroup(prisma, ann.user.id, [bob.user.id]);
    const requestId = `test-${randomBytes(6).toString('hex')}`;
    const sent = await api.client.request('POST', `/conversations/${group}/messages`, {
      token: ann.accessToken,
      body: { clientMsgId: 'log-1', body: `${secret} over REST` },
      headers: { 'x-request-id': requestId },
    });
    assert.equal(sent.status, 201);
    const edited = await api.client.patch(`/conversations/${group}/messages/${sent.body.id}`, { body: `${secret} edited` }, ann.accessToken);
    assert.equal(edited.status, 200);
    const socket = await connectSocket(api.baseUrl, bob.accessToken);
    sockets.push(socket);
    const ack = await new Promise<TSendAck>((resolve) =>
      socket.socket.emit('message:send', { conversationId: group, clientMsgId: 'log-2', body: `${secret} over the socket` }, resolve),
    );
    assert.ok('message' in ack);
    // refused bodies are not logged either
    assert.equal((await api.client.post(`/conversations/${group}/messages`, { clientMsgId: 'log-3', body: `${secret}`.repeat(400) }, ann.accessToken)).status, 400);
    assert.equal((await api.client.get('/me', `${ann.accessToken}x`)).status, 401);
    await eventually(() => output.join('').includes(requestId), 'the request to be logged');
    await new Promise((r) => setTimeout(r, 500)); // the worker's lines of the fan-out

    const text = output.join('');
    for (const [what, value] of [
      ['a message body', secret],
      ['a password', password],
      ["ann's token", ann.accessToken],
      ["ann's login token", (login.body as { accessToken: string }).accessToken],
      ["bob's token", bob.accessToken],
      ['a token signature', ann.accessToken.split('.')[2] ?? 'none'],
    ] as const) {
      assert.ok(!text.includes(value), `the logs contain ${what}`);
    }
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    assert.ok(lines.length > 10);
    const parsed = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        assert.fail(`not a JSON line: ${line}`);
      }
    });
    const forRequest = parsed.filter((l) => JSON.stringify(l).includes(requestId));
    assert.ok(forRequest.length >= 1);
    for (const line of forRequest) assert.equal(line.reqId, requestId, `a line of the request without its id: ${JSON.stringify(line)}`);
    // every answer's line carries its request id
    const answers = parsed.filter((l) => l.res !== undefined);
    assert.ok(answers.length >= 6);
    for (const line of answers) assert.equal(typeof line.reqId, 'string', JSON.stringify(line));
  });
});
