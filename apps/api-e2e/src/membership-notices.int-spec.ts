import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageFanoutService } from '@chatbox/server-chat';
import { eventSeqOf, ZMessagePageWithNotices, ZNotice, type TMessage, type TMessagePageWithNotices, type TNotice } from '@chatbox/contracts';
import { eventually } from '@chatbox/server-testing';
import { useStack } from './support/stack';
import { allConversationId, createGroup, people, Person } from './support/chat-fixtures';

/**
 * Membership notices (issue 14): a group's membership changes as lines of its conversation,
 * changes of its stream (eventSeq, `changes?after=`, `notice` events in order), never messages.
 * Real api + worker, PostgreSQL, Redis, Socket.IO.
 */
describe('membership notices', () => {
  const stack = useStack();

  const send = async (conversationId: string, who: Person, body: string): Promise<TMessage> => {
    const res = await stack.t.client.post(`/conversations/${conversationId}/messages`, { clientMsgId: body, body }, who.token);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const page = async (path: string, who: Person): Promise<TMessagePageWithNotices> => {
    const res = await stack.t.client.get(path, who.token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return ZMessagePageWithNotices.strict().parse(res.body) as TMessagePageWithNotices;
  };
  const said = (n: TNotice) => `${n.eventSeq}@${n.afterSeq} ${n.actor.username} ${n.kind} ${n.users.map((u) => u.username).join(',')}`.trim();
  const ok = async (res: Promise<{ status: number; body: unknown }>, status: number) => {
    const r = await res;
    assert.equal(r.status, status, JSON.stringify(r.body));
  };

  test('created, added, removed, left and ownership passed: in history, in changes?after=, as `notice` events in stream order; never as messages', async () => {
    const [a, b, c] = await people(stack.t, 3);
    const u = (p: Person) => p.user.username;
    const group = await createGroup(stack.t, a, { memberIds: [b.id] });
    const id = group.id;
    const v1 = await stack.connect(c.token, { features: [] }); // a version 1 client of c
    const events: Array<{ event: string; eventSeq: number; conversationId: string }> = [];
    v1.socket.onAny((event: string, payload: { eventSeq?: number; conversationId?: string }) => {
      if (payload?.conversationId === id && typeof payload.eventSeq === 'number') events.push({ event, eventSeq: payload.eventSeq, conversationId: id });
    });
    const bTab = await stack.connect(b.token);
    const m1 = await send(id, a, 'n-one'); // eventSeq 1
    // delivered before c is added: a delivery reaches whoever is a member when it goes out
    await eventually(() => bTab.messages.some((m) => m.id === m1.id), 'n-one delivered to the members of its time');
    await ok(stack.t.client.post(`/groups/${id}/members`, { userIds: [c.id] }, a.token), 200); // 2: added
    const m2 = await send(id, c, 'n-two'); // 3
    await ok(stack.t.client.delete(`/groups/${id}/members/${b.id}`, a.token), 204); // 4: removed
    await ok(stack.t.client.delete(`/groups/${id}/members/${a.id}`, a.token), 204); // 5: left, 6: owner to c

    const history = await page(`/conversations/${id}/messages`, c);
    assert.deepEqual(history.items.map((m) => m.id), [m1.id, m2.id], 'notices are no messages: history items unchanged');
    assert.deepEqual(history.notices.map(said), [
      `0@0 ${u(a)} created ${u(b)}`,
      `2@1 ${u(a)} added ${u(c)}`,
      `4@2 ${u(a)} removed ${u(b)}`,
      `5@2 ${u(a)} left`,
      `6@2 ${u(a)} owner ${u(c)}`,
    ]);
    for (const n of history.notices) ZNotice.strict().parse(n);
    assert.equal(history.notices[1].users[0].displayName, c.user.displayName);
    const listed = (await stack.t.client.get('/conversations', c.token)).body.items.find((x: { id: string }) => x.id === id);
    assert.deepEqual([listed.lastSeq, listed.lastEventSeq], [2, 6], 'seq counts messages only; eventSeq every change');

    // the offline member's catch-up: everything after an eventSeq, paged where the first list fills up
    const all = await page(`/conversations/${id}/changes?after=0`, c);
    assert.deepEqual([all.items.map((m) => m.eventSeq), all.notices.map((n) => n.eventSeq), all.nextCursor], [[1, 3], [2, 4, 5, 6], null]);
    const p1 = await page(`/conversations/${id}/changes?after=0&limit=2`, c);
    assert.deepEqual([p1.items.map((m) => m.eventSeq), p1.notices.map((n) => n.eventSeq), p1.nextCursor], [[1, 3], [2], '3']);
    const p2 = await page(`/conversations/${id}/changes?after=3&limit=2`, c);
    assert.deepEqual([p2.items.map((m) => m.eventSeq), p2.notices.map((n) => n.eventSeq), p2.nextCursor], [[], [4, 5], '5']);
    const p3 = await page(`/conversations/${id}/changes?after=5&limit=2`, c);
    assert.deepEqual([p3.items.map((m) => m.eventSeq), p3.notices.map((n) => n.eventSeq), p3.nextCursor], [[], [6], null]);

    // live: c's socket got everything from its addition on (2: that notice, 3: its message, 4-6:
    // notices), in rising eventSeq, notices as `notice`; every `message` it got is a real message
    await eventually(() => events.some((e) => e.eventSeq === 6), 'the ownership notice');
    // fan-out's read of a gap (an outbox relay's job carries no changes) has the notices in place
    const gap = await stack.worker.get(MessageFanoutService).between(id, 0, 6);
    assert.deepEqual(gap.changes.map((x) => `${x.kind}:${eventSeqOf(x)}`), ['created:1', 'notice:2', 'created:3', 'notice:4', 'notice:5', 'notice:6']);
    assert.deepEqual(events.map((e) => `${e.event}:${e.eventSeq}`), ['notice:2', 'message:3', 'notice:4', 'notice:5', 'notice:6']);
    assert.deepEqual(v1.messages.filter((m) => m.conversationId === id).map((m) => m.id), [m2.id]);
  });

  test('joining a public group: a notice the joiner and the members get; history pages carry the notices placed in them', async () => {
    const [owner, joiner] = await people(stack.t, 2);
    const group = await createGroup(stack.t, owner, { visibility: 'public' });
    const ownerTab = await stack.connect(owner.token);
    const notices: TNotice[] = [];
    ownerTab.socket.on('notice', (n) => notices.push(n));
    for (let i = 1; i <= 3; i++) await send(group.id, owner, `p-${i}`);
    await ok(stack.t.client.post(`/groups/${group.id}/join`, {}, joiner.token), 200);
    for (let i = 4; i <= 5; i++) await send(group.id, owner, `p-${i}`);
    await eventually(() => notices.length === 1, 'the join notice, live');
    assert.deepEqual([notices[0].kind, notices[0].actor.id, notices[0].afterSeq, notices[0].eventSeq], ['joined', joiner.id, 3, 4]);

    const seen = async (q: string) => (await page(`/conversations/${group.id}/messages${q}`, joiner)).notices.map((n) => n.kind);
    assert.deepEqual(await seen(''), ['created', 'joined']);
    assert.deepEqual(await seen('?before=3&limit=2'), ['created'], 'seqs 1-2: the creation before them');
    assert.deepEqual(await seen('?before=6&limit=2'), ['joined'], 'seqs 4-5: the join just before them');
    assert.deepEqual(await seen('?after=3&limit=2'), ['joined'], 'a catch-up page that reached the end');
    assert.deepEqual(await seen('?after=5'), [], 'nothing after the newest message');
    assert.deepEqual(await seen(`?thread=${group.id}`), [], 'thread pages have none');
  });

  test('no notices where the kind does not announce membership: `all` (registrations) and direct conversations', async () => {
    const [a, b] = await people(stack.t, 2);
    const all = await allConversationId(stack.t);
    assert.equal(await stack.t.prisma.membershipNotice.count({ where: { conversationId: all } }), 0);
    const direct = (await stack.t.client.post('/conversations/direct', { userId: b.id }, a.token)).body;
    assert.deepEqual((await page(`/conversations/${direct.id}/messages`, a)).notices, []);
    assert.equal(direct.lastEventSeq, 0);
  });

  test('non-members learn nothing: 404 for a private group, 403 for a public one, on history and changes', async () => {
    const [owner, outsider] = await people(stack.t, 2);
    const hidden = await createGroup(stack.t, owner, { visibility: 'private' });
    const open = await createGroup(stack.t, owner, { visibility: 'public' });
    for (const path of ['messages', 'changes']) {
      assert.equal((await stack.t.client.get(`/conversations/${hidden.id}/${path}`, outsider.token)).status, 404);
      assert.equal((await stack.t.client.get(`/conversations/${open.id}/${path}`, outsider.token)).status, 403);
    }
  });
});
