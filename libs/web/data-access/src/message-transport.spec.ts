import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TAttachment, TMessage } from '@chatbox/contracts';
import type { PendingMessage } from '@chatbox/web-util';
import { sendMessage } from './message-transport';
import type { ChatSocket } from './socket-client';

const attachment: TAttachment = { id: 'a1', name: 'shot.png', contentType: 'image/png', size: 10, url: '/u', thumbnailUrl: '/t', width: 1, height: 1 };
const pending = (over: Partial<PendingMessage> = {}): PendingMessage => ({ clientMsgId: 'c1', conversationId: 'conv', body: 'hi', createdAt: '2026-12-06T00:00:00Z', status: 'sending', ...over });
const stored = { id: 'm1' } as TMessage;

/** A connected socket that acknowledges every send, recording what was emitted. */
const connectedSocket = (emitted: unknown[]) =>
  ({ connected: true, timeout: () => ({ emitWithAck: async (_event: string, payload: unknown) => (emitted.push(payload), { message: stored }) }) }) as unknown as ChatSocket;

describe('sendMessage', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => (globalThis.fetch = realFetch));

  function recordFetch(): Array<{ url: string; body: unknown }> {
    const posts: Array<{ url: string; body: unknown }> = [];
    globalThis.fetch = (async (url: string, init: { body: string }) => {
      posts.push({ url, body: JSON.parse(init.body) });
      return new Response(JSON.stringify(stored), { status: 201, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    return posts;
  }

  test('text goes over the connected socket, as in version 1', async () => {
    const emitted: unknown[] = [];
    const posts = recordFetch();
    await sendMessage(connectedSocket(emitted), pending());
    assert.deepEqual(emitted, [{ conversationId: 'conv', clientMsgId: 'c1', body: 'hi' }]);
    assert.deepEqual(posts, []);
  });

  test('a message with files goes over REST with its attachmentIds (the socket send does not take them), an empty body allowed', async () => {
    const emitted: unknown[] = [];
    const posts = recordFetch();
    assert.deepEqual(await sendMessage(connectedSocket(emitted), pending({ body: '', attachments: [attachment] })), stored);
    assert.deepEqual(emitted, []);
    assert.deepEqual(posts, [{ url: '/api/conversations/conv/messages', body: { clientMsgId: 'c1', body: '', attachmentIds: ['a1'] } }]);
  });
});
