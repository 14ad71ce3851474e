import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TAttachment, TConversation, TMessage, TSendAck, TSocketSendPayload } from '@chatbox/contracts';
import { eventually, RecordingSocket } from '@chatbox/server-testing';
import { useStack } from './support/stack';
import { people, Person } from './support/chat-fixtures';

/**
 * Issue 17: the socket's `message:send` takes `attachmentIds` as the REST send does (API.md
 * "Attachments": at most 10, each an unsent upload of the sender, else 400; `body` may then be
 * empty), acknowledged with the stored message. A version-1 payload is answered as before.
 */
describe('message:send with attachmentIds', () => {
  const stack = useStack();

  const upload = async (who: Person, text: string): Promise<TAttachment> => {
    const form = new FormData();
    form.append('file', new Blob([new TextEncoder().encode(text)]), 'log.txt');
    const res = await fetch(`${stack.t.baseUrl}/api/uploads`, { method: 'POST', body: form, headers: { authorization: `Bearer ${who.token}` } });
    assert.equal(res.status, 201);
    return (await res.json()) as TAttachment;
  };
  const emit = (s: RecordingSocket, payload: Record<string, unknown>): Promise<TSendAck> =>
    new Promise((resolve) => s.socket.emit('message:send', { clientMsgId: crypto.randomUUID(), ...payload } as TSocketSendPayload, resolve));
  const group = async (owner: Person, members: Person[], extra: Record<string, unknown> = {}): Promise<TConversation> => {
    const res = await stack.t.client.post('/groups', { name: 'files', memberIds: members.map((m) => m.id), ...extra }, owner.token);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const errorOf = (ack: TSendAck) => {
    assert.ok('error' in ack, JSON.stringify(ack));
    return ack.error;
  };

  test('files without text: acknowledged with the stored message, delivered to v1 and v2 sockets, readable by members', async () => {
    const [a, b] = await people(stack.t, 2);
    const { id } = await group(a, [b]);
    const [sender, v1, v2] = [await stack.connect(a.token), await stack.connect(b.token, { features: [] }), await stack.connect(b.token)];
    const files = [await upload(a, 'first'), await upload(a, 'second')];
    const ack = await emit(sender, { conversationId: id, body: '', attachmentIds: files.map((f) => f.id) });
    assert.ok('message' in ack, JSON.stringify(ack));
    const sent: TMessage = ack.message;
    assert.deepEqual([sent.body, sent.attachments.map((f) => f.id)], ['', files.map((f) => f.id)]);
    for (const s of [v1, v2]) await eventually(() => s.messages.some((m) => m.id === sent.id && m.attachments.length === 2), 'delivered with its files');
    const stored = (await stack.t.client.get(`/conversations/${id}/messages`, b.token)).body.items as TMessage[];
    assert.deepEqual(stored.map((m) => m.attachments), [sent.attachments]);
    const read = await fetch(`${stack.t.baseUrl}${files[1].url}`, { headers: { authorization: `Bearer ${b.token}` } });
    assert.deepEqual([read.status, await read.text()], [200, 'second']);
    // a retry of the same send answers the stored message
    const retry = await emit(sender, { conversationId: id, clientMsgId: sent.clientMsgId, body: '', attachmentIds: files.map((f) => f.id) });
    assert.ok('message' in retry && retry.message.id === sent.id, JSON.stringify(retry));
  });

  test('the rules and errors of the REST send: not yours, already sent, more than 10, empty; nothing stored', async () => {
    const [a, b] = await people(stack.t, 2);
    const { id } = await group(a, [b]);
    const s = await stack.connect(a.token);
    const theirs = await upload(b, 'theirs');
    const notYours = errorOf(await emit(s, { conversationId: id, body: 'x', attachmentIds: [theirs.id] }));
    assert.equal(notYours.code, 'validation_failed');
    assert.match(notYours.fields?.attachmentIds ?? '', /not an upload of yours/);
    const mine = await upload(a, 'mine');
    assert.ok('message' in (await emit(s, { conversationId: id, body: 'once', attachmentIds: [mine.id] })));
    assert.match(errorOf(await emit(s, { conversationId: id, body: 'twice', attachmentIds: [mine.id] })).fields?.attachmentIds ?? '', /already sent/);
    const eleven = Array.from({ length: 11 }, () => crypto.randomUUID());
    assert.match(errorOf(await emit(s, { conversationId: id, body: 'x', attachmentIds: eleven })).fields?.attachmentIds ?? '', /at most 10/);
    assert.equal(errorOf(await emit(s, { conversationId: id, body: ' ' })).fields?.body, 'must not be empty');
    const history = (await stack.t.client.get(`/conversations/${id}/messages`, a.token)).body.items as TMessage[];
    assert.deepEqual(history.map((m) => m.body), ['once']);
    // a version-1 payload, as before
    const v1 = await emit(s, { conversationId: id, body: 'plain' });
    assert.ok('message' in v1 && v1.message.attachments.length === 0, JSON.stringify(v1));
  });

  test('an anonymous question with a file (issue 18): its upload row forgets the asker, members read the file', async () => {
    const [a, b] = await people(stack.t, 2);
    const { id } = await group(a, [b], { anonymousQuestions: true });
    const s = await stack.connect(b.token);
    const file = await upload(b, 'screenshot');
    const ack = await emit(s, { conversationId: id, body: 'what is this?', anonymous: true, attachmentIds: [file.id] });
    assert.ok('message' in ack, JSON.stringify(ack));
    assert.deepEqual([ack.message.anonymous, ack.message.sender.id, ack.message.attachments.map((f) => f.id)], [true, 'anonymous', [file.id]]);
    const row = await stack.t.prisma.attachment.findUniqueOrThrow({ where: { id: file.id } });
    assert.deepEqual([row.uploaderId, row.messageId], [null, ack.message.id]);
    const read = await fetch(`${stack.t.baseUrl}${file.url}`, { headers: { authorization: `Bearer ${a.token}` } });
    assert.equal(read.status, 200);
    // the author still edits and deletes it; the file goes with it
    assert.equal((await stack.t.client.patch(`/conversations/${id}/messages/${ack.message.id}`, { body: 'edited' }, b.token)).status, 200);
    assert.equal((await stack.t.client.delete(`/conversations/${id}/messages/${ack.message.id}`, b.token)).status, 204);
    assert.equal((await fetch(`${stack.t.baseUrl}${file.url}`, { headers: { authorization: `Bearer ${a.token}` } })).status, 404);
  });
});
