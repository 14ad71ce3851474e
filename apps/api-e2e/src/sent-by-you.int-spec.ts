import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { TConversation, TMessage, TMessageSearchPage } from '@chatbox/contracts';
import { useStack } from './support/stack';
import { people, Person } from './support/chat-fixtures';

/**
 * `Message.sentByYou` (issue 18) in the two answers that lacked it: search hits and a
 * conversation's `lastMessage`. As in history: true on an anonymous message in an answer to its
 * author (recognised by AuthorKeys), absent for everyone else; a named message carries none
 * (its sender says whose it is). Stored groups and vanishing (ephemeral) rooms alike.
 */
describe('sentByYou in search hits and the conversation list', () => {
  const stack = useStack();

  const unique = () => `zy${randomBytes(5).toString('hex')}`;
  const send = async (conversationId: string, who: Person, body: string, anonymous = false): Promise<TMessage> => {
    const res = await stack.t.client.post(`/conversations/${conversationId}/messages`, { clientMsgId: unique(), body, anonymous }, who.token);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const hitFor = async (who: Person, word: string): Promise<TMessage> => {
    const res = await stack.t.client.get(`/search/messages?q=${word}`, who.token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const items = (res.body as TMessageSearchPage).items;
    assert.equal(items.length, 1, `${word}: one hit`);
    return items[0].message;
  };
  const lastMessageFor = async (who: Person, conversationId: string): Promise<TMessage | null> => {
    const res = await stack.t.client.get('/conversations', who.token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const conv = (res.body as { items: TConversation[] }).items.find((c) => c.id === conversationId);
    assert.ok(conv, 'listed');
    return conv.lastMessage;
  };
  /** The message as the caller's own history shows it: what search and the list must agree with. */
  const inHistoryOf = async (who: Person, conversationId: string, id: string): Promise<TMessage | undefined> => {
    const res = await stack.t.client.get(`/conversations/${conversationId}/messages`, who.token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as { items: TMessage[] }).items.find((m) => m.id === id);
  };

  for (const ephemeral of [false, true]) {
    test(`${ephemeral ? 'a vanishing room' : 'a stored group'}: the author sees sentByYou on their anonymous question, in search and in lastMessage; nobody else does; a named message carries none`, async () => {
      const [owner, author, other] = await people(stack.t, 3);
      const created = await stack.t.client.post('/groups', { name: 'questions', ephemeral, anonymousQuestions: true, memberIds: [author.id, other.id] }, owner.token);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = (created.body as TConversation).id;
      const [namedWord, anonWord] = [unique(), unique()];
      const named = await send(id, author, `named ${namedWord}`);
      const question = await send(id, author, `asked ${anonWord}`, true);
      assert.equal(question.sentByYou, true, 'the send answer marks it (as before)');

      for (const who of [author, owner, other]) {
        const mine = who === author;
        const hit = await hitFor(who, anonWord);
        assert.equal(hit.sentByYou, mine ? true : undefined, `search, anonymous, ${mine ? 'author' : 'another member'}`);
        assert.deepEqual(hit, await inHistoryOf(who, id, question.id), 'a search hit is the message as history shows it to the same caller');
        const last = await lastMessageFor(who, id);
        assert.equal(last?.id, question.id);
        assert.equal(last?.sentByYou, mine ? true : undefined, `lastMessage, anonymous, ${mine ? 'author' : 'another member'}`);
        assert.deepEqual(last, await inHistoryOf(who, id, question.id), 'lastMessage is the message as history shows it to the same caller');
        assert.equal((await hitFor(who, namedWord)).sentByYou, undefined, 'search, named: none (its sender tells)');
        assert.equal('sentByYou' in (await hitFor(who, namedWord)), false);
      }

      // a named message last: lastMessage carries none, for its author either
      const later = await send(id, author, `named again ${unique()}`);
      for (const who of [author, owner, other]) {
        const last = await lastMessageFor(who, id);
        assert.deepEqual([last?.id, last && 'sentByYou' in last], [later.id, false]);
      }
      assert.equal(named.sender.id, author.id);
    });
  }
});
