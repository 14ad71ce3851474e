import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TChange, TMessage } from '@chatbox/contracts';
import { MessageFanoutService } from '@chatbox/server-chat';
import { eventually } from '@chatbox/server-testing';
import { useStack } from './support/stack';
import { createGroup, people, Person } from './support/chat-fixtures';

/** API.md "Messages: edit, delete, react, reply" and their changes on the stream. */
describe('living messages: edit, delete, react, reply, around', () => {
  const stack = useStack();

  const send = async (conversationId: string, who: Person, clientMsgId: string, extra: Record<string, unknown> = {}): Promise<TMessage> => {
    const res = await stack.t.client.post(`/conversations/${conversationId}/messages`, { clientMsgId, body: clientMsgId, ...extra }, who.token);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const path = (m: TMessage) => `/conversations/${m.conversationId}/messages/${m.id}`;
  const react = (m: TMessage, emoji: string, who: Person, on = true) =>
    stack.t.client.request(on ? 'PUT' : 'DELETE', `${path(m)}/reactions/${encodeURIComponent(emoji)}`, { token: who.token });
  const current = async (m: TMessage, who: Person): Promise<TMessage> =>
    (await stack.t.client.get(`/conversations/${m.conversationId}/messages?around=${m.seq}&limit=1`, who.token)).body.items[0];
  const listen = async (who: Person, features?: string[]) => {
    const s = await stack.connect(who.token, { features });
    const updates: TMessage[] = [];
    s.socket.on('message:updated', (m) => updates.push(m));
    return { s, updates };
  };
  const group = async (n: number) => {
    const members = await people(stack.t, n);
    const g = await createGroup(stack.t, members[0], { memberIds: members.slice(1).map((m) => m.id) });
    return { members, id: g.id };
  };

  test('edit: the sender gets 200 with editedAt and a new eventSeq; members get message:updated, version-1 sockets too', async () => {
    const { members: [a, b], id } = await group(2);
    const [v2, v1] = [await listen(b), await listen(b, [])];
    const m = await send(id, a, 'draft');
    const res = await stack.t.client.patch(path(m), { body: 'final words \n' }, a.token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const edited: TMessage = res.body;
    assert.equal(edited.body, 'final words');
    assert.ok(edited.editedAt && edited.eventSeq === m.eventSeq + 1 && edited.seq === m.seq);
    for (const socket of [v2, v1]) await eventually(() => socket.updates.some((u) => u.id === m.id), 'message:updated');
    assert.deepEqual(v2.updates.find((u) => u.id === m.id), edited);
    assert.deepEqual(v1.updates.find((u) => u.id === m.id), edited);
    assert.deepEqual(await current(m, b), edited);
    const changes = (await stack.t.client.get(`/conversations/${id}/changes?after=0`, b.token)).body.items as TMessage[];
    assert.deepEqual(changes, [edited], 'a message appears once, in its current state');
  });

  test('edit refusals: another member 403, a deleted message 409, bad bodies 400, unknown message 404, non-members 404/403', async () => {
    const { members: [a, b], id } = await group(2);
    const [outsider] = await people(stack.t, 1);
    const m = await send(id, a, 'mine');
    assert.equal((await stack.t.client.patch(path(m), { body: 'hijack' }, b.token)).status, 403);
    for (const body of [{ body: '' }, { body: '   ' }, { body: 'x'.repeat(4001) }, {}, { body: 'ok', extra: 1 }]) {
      const res = await stack.t.client.patch(path(m), body, a.token);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(res.body.error.fields.body || res.body.error.fields.extra, JSON.stringify(res.body));
    }
    assert.equal((await stack.t.client.patch(`/conversations/${id}/messages/${crypto.randomUUID()}`, { body: 'x' }, a.token)).status, 404);
    assert.equal((await stack.t.client.patch(`/conversations/${id}/messages/not-an-id`, { body: 'x' }, a.token)).status, 400, 'a malformed id is refused at the edge');
    assert.equal((await stack.t.client.patch(path(m), { body: 'x' }, outsider.token)).status, 404);
    const open = await createGroup(stack.t, a, { visibility: 'public' });
    const inOpen = await send(open.id, a, 'open-1');
    assert.equal((await stack.t.client.patch(path(inOpen), { body: 'x' }, outsider.token)).status, 403);
    assert.equal((await stack.t.client.delete(path(m))).status, 401);
    assert.equal((await stack.t.client.delete(path(m), a.token)).status, 204);
    assert.equal((await stack.t.client.patch(path(m), { body: 'too late' }, a.token)).status, 409);
    assert.equal((await current(m, a)).body, '', 'nothing stored by a refusal');
  });

  test('delete: sender or group owner, 204 twice, a tombstone keeps the seq, the text is gone from every table', async () => {
    const { members: [owner, a, b], id } = await group(3);
    const secret = `secret-${crypto.randomUUID()}`;
    const m = await send(id, a, 'to-delete', { body: secret });
    assert.equal((await react(m, '👍', b)).status, 204);
    const watcher = await listen(b);
    assert.equal((await stack.t.client.delete(path(m), b.token)).status, 403, 'another member may not');
    assert.equal((await stack.t.client.delete(path(m), a.token)).status, 204);
    assert.equal((await stack.t.client.delete(path(m), a.token)).status, 204, 'idempotent');
    const tombstone = await current(m, b);
    assert.equal(tombstone.seq, m.seq);
    assert.deepEqual([tombstone.body, tombstone.reactions, tombstone.attachments, typeof tombstone.deletedAt], ['', [], [], 'string']);
    await eventually(() => watcher.updates.some((u) => u.id === m.id && u.deletedAt !== null), 'the delete on the socket');
    // erased, not hidden: no table holds the text any more (every row of every table, as text)
    const tables = await stack.t.prisma.$queryRaw<Array<{ name: string }>>`
      SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
    assert.ok(tables.some((row) => row.name === 'FanoutOutbox') && tables.some((row) => row.name === 'Message'));
    for (const { name } of tables) {
      const [{ n }] = await stack.t.prisma.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM "${name}" t WHERE t::text LIKE $1`, `%${secret}%`);
      assert.equal(n, 0, `the deleted text is still in ${name}`);
    }
    assert.equal((await react(m, '🎉', b)).status, 409, 'no reactions on a deleted message');
    // the group's owner moderates
    const other = await send(id, b, 'rude');
    assert.equal((await stack.t.client.delete(path(other), owner.token)).status, 204);
    assert.notEqual((await current(other, owner)).deletedAt, null);
    // in a direct conversation only the sender deletes
    const direct = (await stack.t.client.post('/conversations/direct', { userId: b.id }, a.token)).body;
    const dm = await send(direct.id, a, 'dm-1');
    assert.equal((await stack.t.client.delete(path(dm), b.token)).status, 403);
  });

  test('reactions: one emoji or a :shortcode:, idempotent, ordered by first use, at most 20 distinct (409), 400 for anything else', async () => {
    const { members: [a, b], id } = await group(2);
    const m = await send(id, a, 'react-to-me');
    const watcher = await listen(a);
    assert.equal((await react(m, '👍', b)).status, 204);
    const afterFirst = await current(m, a);
    assert.equal((await react(m, '👍', b)).status, 204);
    assert.equal((await current(m, a)).eventSeq, afterFirst.eventSeq, 'a repeat changes nothing');
    assert.equal((await react(m, ':party_parrot:', a)).status, 204);
    assert.equal((await react(m, '👍', a)).status, 204);
    assert.equal((await react(m, '🇫🇷', a)).status, 204);
    assert.equal((await react(m, '👨‍👩‍👧', a)).status, 204);
    assert.deepEqual((await current(m, a)).reactions, [
      { emoji: '👍', userIds: [b.id, a.id] },
      { emoji: ':party_parrot:', userIds: [a.id] },
      { emoji: '🇫🇷', userIds: [a.id] },
      { emoji: '👨‍👩‍👧', userIds: [a.id] },
    ]);
    assert.equal((await react(m, '👍', b, false)).status, 204);
    assert.equal((await react(m, '👍', b, false)).status, 204, 'idempotent removal');
    assert.equal((await react(m, ':party_parrot:', a, false)).status, 204);
    assert.deepEqual((await current(m, a)).reactions.map((r) => [r.emoji, r.userIds]), [['👍', [a.id]], ['🇫🇷', [a.id]], ['👨‍👩‍👧', [a.id]]]);
    // one message:updated per change, in eventSeq order; a worker that finds a gap reads it from
    // the database, where changes in a row to one message are one current state (the client
    // sees the eventSeq jump and may ask changes?after=): at most 7, ending in the current state
    const latest = await current(m, a);
    await eventually(() => watcher.updates.some((u) => u.id === m.id && u.eventSeq === latest.eventSeq), 'the latest change live');
    const seqs = watcher.updates.filter((u) => u.id === m.id).map((u) => u.eventSeq);
    assert.ok(seqs.length <= 7, `${seqs}`);
    assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), 'in eventSeq order');
    assert.deepEqual(watcher.updates.filter((u) => u.id === m.id).at(-1), latest);
    for (const bad of ['a', 'abc', '👍👍', ':UPPER:', ':' + 'x'.repeat(33) + ':', '1', ' ', '👍 ']) {
      const res = await react(m, bad, a);
      assert.equal(res.status, 400, bad);
      assert.ok(res.body.error.fields.emoji, JSON.stringify(res.body));
    }
    const full = await send(id, a, 'popular');
    for (let i = 0; i < 20; i++) assert.equal((await react(full, `:e${i}:`, b)).status, 204);
    const res = await react(full, ':e20:', b);
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal((await react(full, ':e3:', a)).status, 204, 'an emoji already there still takes more users');
    assert.equal((await current(full, a)).reactions.length, 20);
  });

  test('threads: a reply counts on its root; replies to replies or across conversations are 400; ?thread= pages replies', async () => {
    const { members: [a, b], id } = await group(2);
    const watcher = await listen(b);
    const root = await send(id, a, 'root');
    const r1 = await send(id, b, 'r1', { threadRootId: root.id });
    assert.equal(r1.threadRootId, root.id);
    const r2 = await send(id, a, 'r2', { threadRootId: root.id });
    const rootNow = await current(root, a);
    assert.equal(rootNow.replyCount, 2);
    assert.equal(rootNow.lastReplyAt, r2.createdAt);
    assert.equal(rootNow.eventSeq, r2.eventSeq + 1, 'the count is a change of the root, after the reply');
    await eventually(() => watcher.updates.some((u) => u.id === root.id && u.replyCount === 2), 'the root updated live');
    await eventually(() => watcher.s.messages.some((m) => m.id === r2.id), 'the reply as a message');
    const other = await group(2);
    const elsewhere = await send(other.id, other.members[0], 'elsewhere');
    for (const threadRootId of [r1.id, elsewhere.id, crypto.randomUUID()]) {
      const res = await stack.t.client.post(`/conversations/${id}/messages`, { clientMsgId: `bad-${threadRootId}`, body: 'x', threadRootId }, a.token);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.ok(res.body.error.fields.threadRootId);
    }
    assert.equal((await stack.t.client.post(`/conversations/${id}/messages`, { clientMsgId: 'bad-id', body: 'x', threadRootId: 'nope' }, a.token)).status, 400);
    const thread = (await stack.t.client.get(`/conversations/${id}/messages?thread=${root.id}`, b.token)).body.items as TMessage[];
    assert.deepEqual(thread.map((m) => m.id), [r1.id, r2.id]);
    assert.deepEqual((await stack.t.client.get(`/conversations/${id}/messages?thread=${root.id}&after=${r1.seq}`, b.token)).body.items.map((m: TMessage) => m.id), [r2.id]);
    const all = (await stack.t.client.get(`/conversations/${id}/messages`, b.token)).body.items as TMessage[];
    assert.deepEqual(all.map((m) => m.id), [root.id, r1.id, r2.id], 'history without thread has replies too');
    // a reply over the socket counts the same way
    const ack = await new Promise<any>((resolve) =>
      watcher.s.socket.emit('message:send', { conversationId: id, clientMsgId: 'r3', body: 'r3', threadRootId: root.id }, resolve),
    );
    assert.equal(ack.message?.threadRootId, root.id, JSON.stringify(ack));
    assert.equal((await current(root, a)).replyCount, 3);
  });

  test('around: up to limit messages centred on a seq; around with before/after is 400', async () => {
    const { members: [a], id } = await group(1);
    for (let i = 1; i <= 12; i++) await send(id, a, `n${i}`);
    const page = (q: string) => stack.t.client.get(`/conversations/${id}/messages?${q}`, a.token);
    assert.deepEqual((await page('around=6&limit=5')).body.items.map((m: TMessage) => m.seq), [4, 5, 6, 7, 8]);
    assert.deepEqual((await page('around=1&limit=4')).body.items.map((m: TMessage) => m.seq), [1, 2, 3]);
    assert.deepEqual((await page('around=12&limit=4')).body.items.map((m: TMessage) => m.seq), [11, 12]);
    const res = await page('around=3&after=1');
    assert.equal(res.status, 400);
    assert.ok(res.body.error.fields.around);
  });

  test('fan-out reading a gap from PostgreSQL tells new messages (created) from changed ones (updated), in eventSeq order', async () => {
    const { members: [a, b], id } = await group(2);
    const m1 = await send(id, a, 'g1');
    await react(m1, '👍', b); // eventSeq 2, m1 updated
    const m2 = await send(id, a, 'g2'); // 3
    const m3 = await send(id, a, 'g3'); // 4
    await stack.t.client.patch(path(m2), { body: 'g2 edited' }, a.token); // 5: m2 created in the gap and changed after it
    const fanout = stack.worker.get(MessageFanoutService);
    const gap = await fanout.between(id, 1, 3);
    // m1 was created before the gap: its reaction is an update; m2 was created in it: new, in its
    // current state (eventSeq 5), so the read reaches 5 and sends m3 (4) first: eventSeqs only rise
    assert.deepEqual(
      gap.changes.map((c) => [c.kind, messageOf(c).id, messageOf(c).eventSeq]),
      [['updated', m1.id, 2], ['created', m3.id, 4], ['created', m2.id, 5]],
    );
    assert.equal(gap.reached, 5);
    assert.equal(messageOf(gap.changes[2]).body, 'g2 edited');
    const later = await fanout.between(id, 4, 5);
    assert.deepEqual([later.changes.map((c) => [c.kind, messageOf(c).id]), later.reached], [[['updated', m2.id]], 5]);
  });
});

/** The message a change carries (these groups have no membership notices after their creation). */
const messageOf = (c: TChange): TMessage => (c.kind === 'notice' ? assert.fail(`a notice at eventSeq ${c.notice.eventSeq}`) : c.message);
