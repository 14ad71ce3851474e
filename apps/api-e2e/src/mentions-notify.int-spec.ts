import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TConversation, TConversationEvent, TMessage, TUserEvent } from '@chatbox/contracts';
import { eventually, uniqueUsername } from '@chatbox/server-testing';
import { useStack } from './support/stack';
import { allConversationId, createGroup, people, person, Person } from './support/chat-fixtures';

/** API.md "Mentions and notifications", and the live new-user event. */
describe('mentions, mention counts, notification levels', () => {
  const stack = useStack();

  const send = async (conversationId: string, who: Person, body: string): Promise<TMessage> => {
    const res = await stack.t.client.post(`/conversations/${conversationId}/messages`, { clientMsgId: crypto.randomUUID(), body }, who.token);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const view = async (conversationId: string, who: Person): Promise<TConversation> => {
    const items = (await stack.t.client.get('/conversations?limit=100', who.token)).body.items as TConversation[];
    const found = items.find((c) => c.id === conversationId);
    assert.ok(found, 'the conversation is listed');
    return found;
  };
  const named = (prefix: string) => person(stack.t, { username: uniqueUsername(prefix) });
  const sorted = (ids: string[]) => [...ids].sort();
  const setRole = (who: Person, role: 'admin' | 'member') => stack.t.prisma.user.update({ where: { id: who.id }, data: { role } });

  test('@username of members only, in any case, with punctuation around; addresses and code are no mentions', async () => {
    const [ann, bob, cat, out] = [await named('Ann'), await named('bob'), await named('Cat'), await named('out')];
    const g = await createGroup(stack.t, ann, { memberIds: [bob.id, cat.id] });
    const u = (p: Person) => p.user.username;
    const m = await send(g.id, ann, `hi @${u(bob).toUpperCase()}, (@${u(cat).toLowerCase()})! and @${u(out)} and x@${u(bob)}.org`);
    assert.deepEqual(sorted(m.mentions.userIds), sorted([bob.id, cat.id]), 'members in any case; the outsider and the address drop out');
    assert.equal(m.mentions.everyone, false);
    const dotted = await send(g.id, ann, `thanks @${u(bob)}. and "@${u(cat)}"; \`@${u(ann)}\``);
    assert.deepEqual(sorted(dotted.mentions.userIds), sorted([bob.id, cat.id]), 'a full stop after a name, quotes; code mentions nobody');
    assert.deepEqual((await send(g.id, ann, 'nobody @ here, @nobody_at_all')).mentions, { userIds: [], everyone: false });
    const history = (await stack.t.client.get(`/conversations/${g.id}/messages`, bob.token)).body.items as TMessage[];
    assert.deepEqual(history.find((x) => x.id === m.id)?.mentions, m.mentions, 'history shows what the send answered');
  });

  test('@everyone: fine in groups and direct chats; in all only for admins, 403 and nothing stored, on send and edit', async () => {
    const [ann, bob] = await people(stack.t, 2);
    await setRole(ann, 'member'); // the first user ever is an admin: ann is not, whoever ran first
    const g = await createGroup(stack.t, ann, { memberIds: [bob.id] });
    assert.deepEqual((await send(g.id, ann, '@Everyone: lunch!')).mentions, { userIds: [], everyone: true });
    const direct = (await stack.t.client.post('/conversations/direct', { userId: bob.id }, ann.token)).body as TConversation;
    assert.equal((await send(direct.id, ann, 'hey @everyone')).mentions.everyone, true);

    const all = await allConversationId(stack.t);
    // others' tests may write to `all` meanwhile: count ann's messages only
    const annsInAll = () => stack.t.prisma.message.count({ where: { conversationId: all, senderId: ann.id } });
    const before = await annsInAll();
    const refused = await stack.t.client.post(`/conversations/${all}/messages`, { clientMsgId: crypto.randomUUID(), body: 'hello @everyone' }, ann.token);
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, 'forbidden');
    const socket = await stack.connect(ann.token);
    const ack = await socket.socket.emitWithAck('message:send', { conversationId: all, clientMsgId: crypto.randomUUID(), body: '@everyone hi' });
    assert.equal((ack as { error?: { code: string } }).error?.code, 'forbidden', 'the socket answers the same');
    assert.equal(await annsInAll(), before, 'nothing stored');

    const plain = await send(all, ann, 'hello everyone, no at sign');
    const edit = await stack.t.client.patch(`/conversations/${all}/messages/${plain.id}`, { body: 'now @everyone' }, ann.token);
    assert.equal(edit.status, 403);
    assert.equal((await stack.t.prisma.message.findUniqueOrThrow({ where: { id: plain.id } })).body, 'hello everyone, no at sign');
  });

  test('@everyone in all: an admin may, on send, on the socket and on edit (batched with a member\'s refused edit); a member gets 403', async () => {
    const [boss, member] = await people(stack.t, 2);
    await setRole(boss, 'admin');
    await setRole(member, 'member');
    const all = await allConversationId(stack.t);
    const announced = await send(all, boss, 'hello @everyone');
    assert.deepEqual(announced.mentions, { userIds: [], everyone: true });
    const socket = await stack.connect(boss.token);
    const ack = (await socket.socket.emitWithAck('message:send', { conversationId: all, clientMsgId: crypto.randomUUID(), body: '@everyone hi' })) as { message?: TMessage; error?: unknown };
    assert.equal(ack.message?.mentions.everyone, true, JSON.stringify(ack));

    const refused = await stack.t.client.post(`/conversations/${all}/messages`, { clientMsgId: crypto.randomUUID(), body: 'me too @everyone' }, member.token);
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, 'forbidden');

    // both edits at once: they may share a batch (one statement), the verdicts stay each one's own
    const [mine, theirs] = [await send(all, boss, 'plain'), await send(all, member, 'plain too')];
    const [bossEdit, memberEdit] = await Promise.all([
      stack.t.client.patch(`/conversations/${all}/messages/${mine.id}`, { body: 'now @everyone, and @' + member.user.username }, boss.token),
      stack.t.client.patch(`/conversations/${all}/messages/${theirs.id}`, { body: 'now @everyone' }, member.token),
    ]);
    assert.equal(bossEdit.status, 200, JSON.stringify(bossEdit.body));
    assert.deepEqual((bossEdit.body as TMessage).mentions, { userIds: [member.id], everyone: true });
    assert.equal(memberEdit.status, 403, JSON.stringify(memberEdit.body));
    assert.equal(memberEdit.body.error.code, 'forbidden');
    const row = await stack.t.prisma.message.findUniqueOrThrow({ where: { id: theirs.id } });
    assert.deepEqual([row.body, row.mentionsEveryone, row.editedAt], ['plain too', false, null], 'the refused edit stored nothing');
  });

  test('an edit re-reads the mentions; a delete erases them', async () => {
    const [ann, bob, cat] = await people(stack.t, 3);
    const g = await createGroup(stack.t, ann, { memberIds: [bob.id, cat.id] });
    const m = await send(g.id, ann, `ping @${bob.user.username}`);
    assert.deepEqual(m.mentions.userIds, [bob.id]);
    const edited = (await stack.t.client.patch(`/conversations/${g.id}/messages/${m.id}`, { body: `sorry, I meant @${cat.user.username} and @everyone` }, ann.token)).body as TMessage;
    assert.deepEqual(edited.mentions, { userIds: [cat.id], everyone: true });
    assert.equal((await view(g.id, bob)).mentions, 1, 'bob is mentioned by @everyone only now');
    assert.equal((await stack.t.client.delete(`/conversations/${g.id}/messages/${m.id}`, ann.token)).status, 204);
    const row = await stack.t.prisma.message.findUniqueOrThrow({ where: { id: m.id } });
    assert.deepEqual([row.mentionUserIds, row.mentionsEveryone], [[], false]);
    assert.equal((await view(g.id, cat)).mentions, 0, 'a deleted message mentions nobody');
  });

  test('Conversation.mentions counts unread messages of others that mention the caller or everyone, and falls as they read', async () => {
    const [ann, bob, cat] = await people(stack.t, 3);
    const g = await createGroup(stack.t, ann, { memberIds: [bob.id, cat.id] });
    const b = `@${bob.user.username}`;
    const first = await send(g.id, ann, `${b} look`);
    await send(g.id, ann, 'not for bob');
    const second = await send(g.id, cat, `@everyone and ${b}`);
    await send(g.id, bob, `talking to myself ${b}`);
    const third = await send(g.id, ann, `${b}?`);
    assert.equal((await view(g.id, bob)).mentions, 3, 'three of the unread mention bob; his own does not count');
    assert.equal((await view(g.id, ann)).mentions, 1, 'ann: the @everyone');
    assert.equal((await view(g.id, cat)).mentions, 0, "cat's own @everyone does not count for her");

    for (const [seq, left] of [[first.seq, 2], [second.seq, 1], [third.seq, 0]] as const) {
      assert.equal((await stack.t.client.post(`/conversations/${g.id}/read`, { seq }, bob.token)).status, 204);
      assert.equal((await view(g.id, bob)).mentions, left, `after reading up to ${seq}`);
    }
    const one = (await stack.t.client.put(`/conversations/${g.id}/notify`, { level: 'all' }, bob.token)).body as TConversation;
    assert.equal(one.mentions, 0, 'every answer carries the count');
  });

  test('notify: defaults by kind and size, PUT stores the caller\'s level only, tells their tabs; bad bodies 400 naming the field', async () => {
    const members = await people(stack.t, 20);
    const [ann, bob] = members;
    const small = await createGroup(stack.t, ann, { memberIds: [bob.id] });
    const large = await createGroup(stack.t, ann, { memberIds: members.slice(1).map((m) => m.id) });
    const direct = (await stack.t.client.post('/conversations/direct', { userId: bob.id }, ann.token)).body as TConversation;
    const all = await allConversationId(stack.t);
    assert.deepEqual(
      [(await view(direct.id, ann)).notify, (await view(small.id, ann)).notify, (await view(large.id, ann)).notify, (await view(all, ann)).notify],
      ['all', 'all', 'all', 'mentions'],
      '20 members is not large yet',
    );
    const [extra] = await people(stack.t, 1);
    assert.equal((await stack.t.client.post(`/groups/${large.id}/members`, { userIds: [extra.id] }, ann.token)).status, 200);
    assert.equal((await view(large.id, ann)).notify, 'mentions', '21 members: large, mentions only by default');

    const events: TConversationEvent[] = [];
    (await stack.connect(ann.token)).socket.on('conversation', (e) => events.push(e));
    const res = await stack.t.client.put(`/conversations/${small.id}/notify`, { level: 'none' }, ann.token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((res.body as TConversation).notify, 'none');
    assert.equal((res.body as TConversation).id, small.id);
    assert.equal((await view(small.id, ann)).notify, 'none');
    assert.equal((await view(small.id, bob)).notify, 'all', "another member's level is theirs");
    await eventually(() => events.some((e) => e.change === 'updated' && e.conversation.id === small.id && e.conversation.notify === 'none'), 'the other tabs learn it');
    assert.equal((await stack.t.client.put(`/conversations/${all}/notify`, { level: 'all' }, ann.token)).body.notify, 'all');
    assert.equal((await stack.t.client.put(`/conversations/${direct.id}/notify`, { level: 'mentions' }, ann.token)).body.notify, 'mentions');

    for (const body of [{}, { level: 'loud' }, { level: 3 }, { level: null }, { level: 'all', extra: true }]) {
      const bad = await stack.t.client.put(`/conversations/${small.id}/notify`, body, ann.token);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.equal(bad.body.error.code, 'validation_failed');
      assert.ok(bad.body.error.fields.level || bad.body.error.fields.extra, JSON.stringify(bad.body));
    }
    assert.equal((await view(small.id, ann)).notify, 'none', 'nothing stored by a refusal');
    const [outsider] = await people(stack.t, 1);
    assert.equal((await stack.t.client.put(`/conversations/${small.id}/notify`, { level: 'all' }, outsider.token)).status, 404);
    assert.equal((await stack.t.client.put(`/conversations/not-an-id/notify`, { level: 'all' }, ann.token)).status, 400);
    assert.equal((await stack.t.client.put(`/conversations/${small.id}/notify`, { level: 'all' })).status, 401);
  });

  test('a new user reaches every connected socket as a `user` event (the live new-user list)', async () => {
    const [ann] = await people(stack.t, 1);
    const got: TUserEvent[] = [];
    (await stack.connect(ann.token)).socket.on('user', (e) => got.push(e));
    const newcomer = await named('new');
    await eventually(() => got.some((e) => e.user.id === newcomer.id), 'the user event');
    const event = got.find((e) => e.user.id === newcomer.id);
    assert.deepEqual(event, { change: 'added', user: newcomer.user });
  });
});
