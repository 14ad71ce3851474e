import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TConversation, TMessage } from '@chatbox/contracts';
import { aMessage } from '@chatbox/contracts/testing';
import { ConversationSync, SyncEvent } from './conversation-sync';

const alice = { id: 'u1', username: 'alice', displayName: 'Alice' };
const message = (conversationId: string, seq: number, eventSeq: number, over: Partial<TMessage> = {}): TMessage =>
  aMessage({ id: `${conversationId}-${seq}`, conversationId, seq, eventSeq, sender: alice, body: `m${seq}`, clientMsgId: `k${seq}`, createdAt: '2026-12-06T09:05:00.000Z', ...over });
const conv = (id: string, lastSeq: number, lastEventSeq: number) => ({ id, lastSeq, lastEventSeq }) as TConversation;

/** A server's change stream per conversation, answering `changes?after=` as the api does. */
function setup(server: Record<string, TMessage[]>) {
  const asked: Array<[string, number]> = [];
  const events: string[] = [];
  const describe = (e: SyncEvent) => (e.kind === 'new' ? `new ${e.message.id}` : `changed ${e.after.id}${e.before ? '' : ' (unseen)'}`);
  const sync = new ConversationSync(
    async (id, after) => {
      asked.push([id, after]);
      return { items: (server[id] ?? []).filter((m) => m.eventSeq > after).sort((a, b) => a.eventSeq - b.eventSeq), nextCursor: null };
    },
    (e) => events.push(describe(e)),
  );
  return { sync, asked, events };
}

describe('ConversationSync', () => {
  test('live messages print once, in order; a repeat is dropped', () => {
    const { sync, events, asked } = setup({});
    sync.track(conv('a', 3, 5));
    sync.receive(message('a', 4, 6));
    sync.receive(message('a', 4, 6));
    sync.receive(message('a', 4, 7, { editedAt: 'x', body: 'm4!' }));
    assert.deepEqual(events, ['new a-4', 'changed a-4']);
    assert.deepEqual(asked, []);
  });

  test('a gap in eventSeq fetches what is missing, then applies the held event', async () => {
    const m5 = message('a', 5, 8);
    const m6 = message('a', 6, 9);
    const { sync, events, asked } = setup({ a: [m5, m6] });
    sync.track(conv('a', 4, 7));
    sync.receive(m6);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(asked, [['a', 7]]);
    assert.deepEqual(events, ['new a-5', 'new a-6']);
  });

  test('after a reconnect: only conversations that moved are asked, edits and new messages both come', async () => {
    const older = message('a', 2, 2);
    const server = { a: [message('a', 2, 6, { editedAt: 'x', body: 'fixed' }), message('a', 4, 7)], b: [] };
    const { sync, events, asked } = setup(server);
    sync.track(conv('a', 3, 5));
    sync.track(conv('b', 1, 1));
    sync.remember([older]);
    const added = await sync.catchUp([conv('a', 4, 7), conv('b', 1, 1), conv('c', 9, 9)]);
    assert.deepEqual(asked, [['a', 5]]);
    assert.deepEqual(events, ['changed a-2', 'new a-4']);
    assert.deepEqual(added.map((c) => c.id), ['c']);
    assert.deepEqual(await sync.catchUp([conv('c', 9, 9)]), [], 'followed from then on');
    assert.equal(sync.bySeq('a', 2)?.body, 'fixed');
  });

  test('history shown first makes its live repeat no news; a message of an unknown conversation starts following it', () => {
    const { sync, events } = setup({});
    sync.track(conv('a', 3, 5));
    sync.remember([message('a', 4, 6)]);
    sync.receive(message('a', 4, 6));
    sync.receive(message('z', 1, 1));
    assert.deepEqual(events, ['changed a-4', 'new z-1']);
  });
});
