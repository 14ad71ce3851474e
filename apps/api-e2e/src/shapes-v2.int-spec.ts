import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { ZConversation, ZMember, ZMessage, ZUser } from '@chatbox/contracts';
import { eventually } from '@chatbox/server-testing';
import { useStack } from './support/stack';
import { createGroup, person } from './support/chat-fixtures';

/** Strict: every field of the shape present, nothing else. */
const exactly = <T extends z.ZodObject>(schema: T, value: unknown, what: string) => {
  const result = schema.strict().safeParse(value);
  assert.ok(result.success, `${what}: ${JSON.stringify(result.error?.issues)}`);
  return result.data as z.infer<T>;
};

/** API.md "Shapes, version 2": every field, everywhere the shape is sent, neutral where later issues fill it. */
describe('version 2 shapes in answers and events', () => {
  const stack = useStack();

  test('User: register, login, me, search, members, a direct peer', async () => {
    const [a, b] = [await person(stack.t), await person(stack.t)];
    exactly(ZUser, a.user, 'register');
    assert.equal(a.user.role, 'member');
    assert.equal(a.user.deactivated, false);
    exactly(ZUser, (await stack.t.client.post('/auth/login', { username: a.user.username, password: a.password })).body.user, 'login');
    exactly(ZUser, (await stack.t.client.get('/me', a.token)).body, 'me');
    for (const u of (await stack.t.client.get(`/users?q=${b.user.username}`, a.token)).body.items) exactly(ZUser, u, 'search');
    const group = await createGroup(stack.t, a, { memberIds: [b.id] });
    for (const m of (await stack.t.client.get(`/groups/${group.id}/members`, a.token)).body.items) exactly(ZUser, exactly(ZMember, m, 'member').user, 'member.user');
    const direct = (await stack.t.client.post('/conversations/direct', { userId: b.id }, a.token)).body;
    exactly(ZUser, exactly(ZConversation, direct, 'direct').peer, 'peer');
  });

  test('Message and Conversation: send answer, history, socket event, conversation list', async () => {
    const [a, b] = [await person(stack.t), await person(stack.t)];
    const group = await createGroup(stack.t, a, { memberIds: [b.id] });
    exactly(ZConversation, group, 'create group');
    const tab = await stack.connect(b.token);
    const sent = exactly(ZMessage, (await stack.t.client.post(`/conversations/${group.id}/messages`, { clientMsgId: 'v2-1', body: 'hi' }, a.token)).body, 'send');
    assert.deepEqual(
      { ...sent, id: '', createdAt: '', sender: null },
      {
        id: '', conversationId: group.id, seq: 1, sender: null, body: 'hi', clientMsgId: 'v2-1', createdAt: '',
        eventSeq: 1, editedAt: null, deletedAt: null, threadRootId: null, replyCount: 0, lastReplyAt: null, reactions: [],
        mentions: { userIds: [], everyone: false }, attachments: [], anonymous: false,
      },
    );
    const [fromHistory] = (await stack.t.client.get(`/conversations/${group.id}/messages`, b.token)).body.items;
    assert.deepEqual(exactly(ZMessage, fromHistory, 'history'), sent);
    // other test files send into `all` meanwhile: only this group's message is ours
    const inGroup = () => tab.messages.filter((m) => m.conversationId === group.id);
    await eventually(() => inGroup().length === 1, 'the event');
    assert.deepEqual(exactly(ZMessage, inGroup()[0], 'event'), sent);
    const listed = (await stack.t.client.get('/conversations', b.token)).body.items.find((c: { id: string }) => c.id === group.id);
    const conversation = exactly(ZConversation, listed, 'list');
    assert.deepEqual(conversation.lastMessage, sent);
    assert.deepEqual(
      [conversation.lastEventSeq, conversation.mentions, conversation.notify, conversation.description, conversation.ephemeral, conversation.anonymousQuestions],
      [1, 0, 'all', '', false, false],
    );
  });
});
