import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TConversation, TMessage } from '@chatbox/contracts';
import { aConversation, aMessage, person } from '@chatbox/contracts/testing';
import { converge, mergeServerList, remove, upsert, withMessages, withNewcomer, withRead } from './conversation-list';

const message = (seq: number, senderId = 'peer'): TMessage =>
  aMessage({ id: `m${seq}`, seq, sender: person(senderId), body: 'x', clientMsgId: `k${seq}`, createdAt: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString() });
const conv = (id: string, lastSeq: number, readSeq: number): TConversation =>
  aConversation({ id, lastSeq, readSeq, lastMessage: lastSeq ? { ...message(lastSeq), conversationId: id } : null });

describe('conversation list', () => {
  test('a stale list (asked for before the read) does not bring the unread badge back', () => {
    const read = withRead([conv('all', 120, 0)], 'all', 120);
    assert.equal(read[0].unread, 0);
    const merged = mergeServerList(read, [conv('all', 120, 0)]);
    assert.equal(merged[0].readSeq, 120);
    assert.equal(merged[0].unread, 0);
  });

  test('a newer list adds what arrived since and keeps the newest lastMessage', () => {
    const merged = mergeServerList([conv('c', 5, 5)], [conv('c', 8, 3)]);
    assert.deepEqual([merged[0].lastSeq, merged[0].readSeq, merged[0].unread, merged[0].lastMessage?.seq], [8, 5, 3, 8]);
    assert.equal(converge(conv('c', 9, 9), conv('c', 8, 8)).lastMessage?.seq, 9);
  });

  test('the server list decides membership: a conversation not in it is gone, a new one comes', () => {
    const merged = mergeServerList([conv('left', 1, 1), conv('kept', 2, 2)], [conv('kept', 2, 2), conv('new', 1, 0)]);
    assert.deepEqual(merged.map((c) => c.id).sort(), ['kept', 'new']);
  });

  test('upsert converges with what is known; remove drops', () => {
    const list = upsert([conv('a', 4, 4)], conv('a', 4, 1));
    assert.equal(list[0].unread, 0);
    assert.deepEqual(remove(list, 'a'), []);
  });

  test('messages raise unread unless own or viewed; read pointers only move forward', () => {
    let list: readonly TConversation[] = [conv('c', 2, 2)];
    list = withMessages(list, 'c', [message(3), message(4)], { selfId: 'me', viewing: false });
    assert.equal(list[0].unread, 2);
    list = withMessages(list, 'c', [message(5, 'me')], { selfId: 'me', viewing: false });
    assert.equal(list[0].readSeq, 5);
    assert.equal(withRead(list, 'c', 1), list, 'an older pointer changes nothing');
  });

  test('a newcomer is one more member of `all`, and of nothing else', () => {
    const all = { ...conv('a', 0, 0), kind: 'all' as const, memberCount: 4 };
    const after = withNewcomer([all, conv('g', 0, 0)]);
    assert.deepEqual(after.map((c) => c.memberCount), [5, 2]);
  });
});
