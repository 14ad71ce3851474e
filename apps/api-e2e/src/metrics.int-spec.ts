import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TSendAck } from '@chatbox/contracts';
import { OpsServer } from '@chatbox/server-observability';
import { eventually, TestApp } from '@chatbox/server-testing';
import { startStack, Stack } from './support/stack';
import { createGroup, people } from './support/chat-fixtures';

/** The value of a sample (summed over series) whose name and labels match, in Prometheus text. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? ([^ ]+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

/** Issue 15: Prometheus metrics on the operations port move when traffic flows; none on the public port. */
describe('metrics', () => {
  let stack: Stack;
  let t: TestApp;
  let apiOps: string;
  let workerOps: string;
  before(async () => {
    // queues of this file only: another file's in-process worker must not take (and count) our jobs
    process.env.REDIS_PREFIX = `${process.env.REDIS_PREFIX ?? 'chatbox-test'}-m${process.pid}`;
    stack = await startStack();
    t = stack.t;
    apiOps = `http://127.0.0.1:${await t.app.get(OpsServer).listen(0, '127.0.0.1')}`;
    workerOps = `http://127.0.0.1:${await stack.worker.get(OpsServer).listen(0, '127.0.0.1')}`;
  });
  after(() => stack.close());

  const scrape = async (base: string): Promise<string> => {
    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    return res.text();
  };
  const SEND_ROUTE = { method: 'POST', route: '/api/conversations/:id/messages', status: '201' };

  test('sends over REST and the socket move latency, socket, send, delivery, lag and queue-wait metrics', async () => {
    const [ann, bob] = await people(t, 2);
    const group = await createGroup(t, ann, { memberIds: [bob.id] });
    const [apiBefore, workerBefore] = [await scrape(apiOps), await scrape(workerOps)];
    const socket = await stack.connect(bob.token);

    for (let i = 0; i < 3; i++) {
      const res = await t.client.post(`/conversations/${group.id}/messages`, { clientMsgId: `m-rest-${i}`, body: 'counted, never logged' }, ann.token);
      assert.equal(res.status, 201);
    }
    const ack = await new Promise<TSendAck>((resolve) =>
      socket.socket.emit('message:send', { conversationId: group.id, clientMsgId: 'm-socket', body: 'over the socket' }, resolve),
    );
    assert.ok('message' in ack);
    await eventually(() => socket.messages.filter((m) => m.conversationId === group.id).length >= 4, 'bob to receive the 4 messages');

    const api = await scrape(apiOps);
    const moved = (name: string, labels?: Record<string, string>) => sample(api, name, labels) - sample(apiBefore, name, labels);
    assert.ok(moved('chatbox_http_request_duration_seconds_count', SEND_ROUTE) >= 3, 'REST sends by route');
    assert.ok(moved('chatbox_http_request_duration_seconds_bucket', { ...SEND_ROUTE, le: '+Inf' }) >= 3);
    assert.ok(moved('chatbox_socket_events_total', { event: 'message:send', outcome: 'ok' }) >= 1, 'socket sends');
    assert.ok(moved('chatbox_messages_stored_total') >= 4, 'sends stored');
    assert.ok(sample(api, 'chatbox_sockets_open') >= 1, 'open sockets');
    assert.ok(sample(api, 'chatbox_pg_pool_connections', { state: 'total' }) >= 1, 'PostgreSQL pool use');
    assert.match(api, /^chatbox_outbox_backlog \d+$/m);
    assert.match(api, /^chatbox_fanout_queue_jobs\{state="waiting"\} \d+$/m);
    assert.doesNotMatch(api, /\/api\/conversations\/[0-9a-f]{8}-/, 'routes are patterns, never ids');

    // the api delivers what it committed (the worker what another process held locked): either counts
    await eventually(async () => {
      const [nowApi, worker] = [await scrape(apiOps), await scrape(workerOps)];
      const both = (name: string) => sample(nowApi, name) - sample(apiBefore, name) + sample(worker, name) - sample(workerBefore, name);
      return both('chatbox_fanout_changes_delivered_total') >= 4 && both('chatbox_fanout_lag_seconds_count') >= 4;
    }, 'the api or the worker to count deliveries and fan-out lag');
    assert.match(await scrape(workerOps), /^chatbox_fanout_queue_wait_seconds_count \d+$/m, 'the worker reports its queue wait');
  });

  test('the public port serves no metrics', async () => {
    assert.equal((await fetch(`${t.baseUrl}/metrics`)).status, 404);
    assert.equal((await fetch(`${t.baseUrl}/api/metrics`)).status, 404);
  });
});
