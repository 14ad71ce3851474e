import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TMessage, TSendAck } from '@chatbox/contracts';
import { ConnectOptions, createGroup, eventually, RecordingSocket } from '@chatbox/server-testing';
import { useStack } from './support/stack';

const V1: ConnectOptions = { features: [] };
const BATCH: ConnectOptions = { features: ['batch'] };
const BATCH_UPDATES: ConnectOptions = { features: ['batch', 'batch-updates'] };

/**
 * API.md "Socket capabilities": `messages` and `presence:batch` only reach sockets that named
 * the "batch" feature; a client written from version 1 gets every message as `message` and every
 * presence change as `presence`, however busy the server is; `messages:updated` only reaches
 * sockets that named "batch-updates" (an extension: `batch` alone does not bring it).
 */
describe('socket capabilities: version-1 clients get version-1 events', () => {
  const stack = useStack();

  const connect = (token: string, opts: ConnectOptions) => stack.connect(token, opts);
  const users = (n: number) => Promise.all(Array.from({ length: n }, () => stack.t.client.registerUser()));
  const emitOnce = (s: RecordingSocket, conversationId: string, clientMsgId: string): Promise<TSendAck> =>
    new Promise((resolve) => s.socket.emit('message:send', { conversationId, clientMsgId, body: clientMsgId }, resolve));
  /** Sends as the web client does: a send shed as `unavailable` (a busy machine) is sent again. */
  const emitSend = async (s: RecordingSocket, conversationId: string, clientMsgId: string): Promise<TSendAck> => {
    for (let attempt = 0; ; attempt++) {
      const ack = await emitOnce(s, conversationId, clientMsgId);
      if ('message' in ack || ack.error.code !== 'unavailable' || attempt === 20) return ack;
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const inGroup = (s: RecordingSocket, id: string) => s.messages.filter((m) => m.conversationId === id);

  test('a burst into a group: the version-1 socket gets each message as `message`, the batch socket gets `messages`', async () => {
    const [a, b] = await users(2);
    const group = await createGroup(stack.t.prisma, a.user.id, [b.user.id]);
    const sender = await connect(a.accessToken, BATCH);
    const [v1, batch] = [await connect(b.accessToken, V1), await connect(b.accessToken, BATCH)];
    const acks = await Promise.all(Array.from({ length: 40 }, (_, i) => emitSend(sender, group, `burst-${i}`)));
    assert.ok(acks.every((ack) => 'message' in ack), JSON.stringify(acks.find((ack) => !('message' in ack))));
    await eventually(() => inGroup(v1, group).length === 40 && inGroup(batch, group).length === 40, 'all 40 on both sockets');
    assert.deepEqual(inGroup(v1, group).map((m) => m.seq), Array.from({ length: 40 }, (_, i) => i + 1));
    assert.deepEqual(inGroup(batch, group).map((m) => m.seq), Array.from({ length: 40 }, (_, i) => i + 1));
    // (other test files send into `all` meanwhile: the socket's whole `message` count is not ours)
    assert.equal(v1.events.get('messages') ?? 0, 0, 'no `messages` to a version-1 socket');
    assert.ok((batch.events.get('messages') ?? 0) > 0, 'the batch socket still gets batches');
    assert.ok((batch.events.get('message') ?? 0) + (batch.events.get('messages') ?? 0) < 40, 'fewer frames than messages');
  });

  test('at about 3,000 msgs/s for two seconds a version-1 socket still gets every message as `message`, in order', async () => {
    const senders = await users(10);
    const [listener] = await users(1);
    const group = await createGroup(stack.t.prisma, senders[0].user.id, [...senders.map((s) => s.user.id), listener.user.id]);
    const senderSockets = await Promise.all(senders.map((s) => connect(s.accessToken, BATCH)));
    const [v1, batch] = [await connect(listener.accessToken, V1), await connect(listener.accessToken, BATCH)];
    // 30 sends every 10 ms, spread over the senders, for 2 s: 6,000 messages
    const TOTAL = 6_000;
    const started = Date.now();
    const acks: Array<Promise<TSendAck>> = [];
    for (let tick = 0; acks.length < TOTAL; tick++) {
      for (let i = 0; i < 30; i++) {
        const n = acks.length;
        acks.push(emitSend(senderSockets[n % senderSockets.length], group, `fast-${n}`));
      }
      const due = started + (tick + 1) * 10;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
    const answered = await Promise.all(acks);
    const rate = Math.round(TOTAL / ((Date.now() - started) / 1000));
    assert.ok(answered.every((ack) => 'message' in ack), JSON.stringify(answered.find((ack) => !('message' in ack))));
    // a fan-out job retried under load may deliver again (at-least-once): clients drop duplicates by id
    const unique = (s: RecordingSocket) => [...new Map(inGroup(s, group).map((m) => [m.id, m])).values()];
    await eventually(() => unique(v1).length === TOTAL && unique(batch).length === TOTAL, `all ${TOTAL} (sent at ${rate} msgs/s)`, 60_000);
    assert.deepEqual(unique(v1).map((m) => m.seq), Array.from({ length: TOTAL }, (_, i) => i + 1));
    assert.equal(v1.events.get('messages') ?? 0, 0, `no \`messages\` to a version-1 socket (sent at ${rate} msgs/s)`);
    assert.ok((batch.events.get('messages') ?? 0) > 0, 'the batch socket got batches');
  });

  test('a burst of reactions: `messages:updated` only to a batch-updates socket, one `message:updated` per change to the others, all in eventSeq order', async () => {
    const people = await users(11);
    const [a, ...reactors] = people;
    const group = await createGroup(stack.t.prisma, a.user.id, reactors.map((r) => r.user.id));
    const sent = await stack.t.client.post<TMessage>(`/conversations/${group}/messages`, { clientMsgId: 'to-react-to', body: 'react to me' }, a.accessToken);
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const sockets = { v1: await connect(a.accessToken, V1), batch: await connect(a.accessToken, BATCH), updates: await connect(a.accessToken, BATCH_UPDATES) };
    const seen = { v1: [] as TMessage[], batch: [] as TMessage[], updates: [] as TMessage[] };
    let frames = 0;
    for (const [name, s] of Object.entries(sockets) as Array<[keyof typeof sockets, RecordingSocket]>) {
      s.socket.on('message:updated', (m) => seen[name].push(m));
      s.socket.on('messages:updated', (e) => {
        assert.equal(e.conversationId, group);
        if (name === 'updates') frames++;
        seen[name].push(...e.messages);
      });
    }
    const emojis = ['👍', '🎉', ':eyes:'];
    const answers = await Promise.all(
      reactors.flatMap((r) => emojis.map((e) => stack.t.client.put(`/conversations/${group}/messages/${sent.body.id}/reactions/${encodeURIComponent(e)}`, undefined, r.accessToken))),
    );
    assert.deepEqual(new Set(answers.map((r) => r.status)), new Set([204]));
    const CHANGES = reactors.length * emojis.length;
    const last = sent.body.eventSeq + CHANGES;
    const mine = (list: TMessage[]) => list.filter((m) => m.id === sent.body.id);
    await eventually(() => Object.values(seen).every((list) => mine(list).at(-1)?.eventSeq === last), `the last of ${CHANGES} changes on every socket`);
    // in eventSeq order, each once; a delivery that fills a gap from the database sends the
    // message's current state and skips the states it supersedes (API.md "Changes"), so under
    // load a socket may see fewer than every state, never an older one after a newer
    for (const list of Object.values(seen)) {
      const seqs = mine(list).map((m) => m.eventSeq);
      assert.ok(seqs.every((seq, i) => seq > sent.body.eventSeq && (i === 0 || seq > seqs[i - 1])), `ascending: ${seqs.join(',')}`);
      assert.equal(mine(list).at(-1)!.reactions.reduce((n, r) => n + r.userIds.length, 0), CHANGES);
    }
    for (const name of ['v1', 'batch'] as const) assert.equal(sockets[name].events.get('messages:updated') ?? 0, 0, `no \`messages:updated\` to the ${name} socket`);
    assert.ok(frames > 0 && frames + (sockets.updates.events.get('message:updated') ?? 0) < CHANGES, `fewer frames than changes (${frames} batches)`);
  });

  test('a burst of presence changes: `presence` per user to a version-1 socket, `presence:batch` to a batch socket', async () => {
    const [watcher] = await users(1);
    const [v1, batch] = [await connect(watcher.accessToken, V1), await connect(watcher.accessToken, BATCH)];
    const arriving = await users(6);
    const ids = new Set(arriving.map((u) => u.user.id));
    const batches: string[][] = [];
    batch.socket.on('presence:batch', (b) => batches.push(b.online.filter((id) => ids.has(id))));
    await Promise.all(arriving.map((u) => connect(u.accessToken, BATCH)));
    const cameOnline = (s: RecordingSocket) => new Set(s.presence.filter((p) => p.online && ids.has(p.userId)).map((p) => p.userId));
    await eventually(() => cameOnline(v1).size === 6 && cameOnline(batch).size === 6, 'six arrivals seen by both sockets');
    assert.equal(v1.events.get('presence:batch') ?? 0, 0, 'no `presence:batch` to a version-1 socket');
    assert.ok(batches.some((b) => b.length > 1), `the batch socket got arrivals together: ${JSON.stringify(batches)}`);
  });
});
