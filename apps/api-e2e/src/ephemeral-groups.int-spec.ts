import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import type { TAttachment, TConversation, TMessage } from '@chatbox/contracts';
import { FILE_STORE, FileStore } from '@chatbox/server-storage';
import { attachmentKeys, EphemeralRoomStore, EphemeralRoomSweeper } from '@chatbox/server-chat';
import { eventually, RecordingSocket, TestApp, unzipText } from '@chatbox/server-testing';
import { startStack, Stack } from './support/stack';
import { people, Person } from './support/chat-fixtures';

/** API.md "Groups, version 2": ephemeral groups live in Redis only and vanish with their last member. */
describe('ephemeral groups', () => {
  let stack: Stack;
  let t: TestApp;
  let redis: Redis;
  before(async () => {
    stack = await startStack();
    t = stack.t;
    redis = new Redis(process.env.REDIS_URL as string);
  });
  after(async () => {
    redis.disconnect();
    await stack.close();
  });

  /**
   * A new api and worker in place of the running ones (one at a time: passport's strategies are
   * process-wide, so a second app closing would leave the first without its own).
   */
  const restart = async (): Promise<void> => {
    await stack.close();
    stack = await startStack();
    t = stack.t;
  };
  const unique = (label: string) => `${label}${crypto.randomUUID().replaceAll('-', '')}`;
  const createRoom = async (on: TestApp, owner: Person, members: Person[] = [], visibility: 'public' | 'private' = 'private'): Promise<TConversation> => {
    const res = await on.client.post('/groups', { name: 'vanishing', visibility, memberIds: members.map((m) => m.id), ephemeral: true }, owner.token);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const send = async (on: TestApp, roomId: string, who: Person, body: string, extra: Record<string, unknown> = {}): Promise<TMessage> => {
    const res = await on.client.post(`/conversations/${roomId}/messages`, { clientMsgId: unique('c'), body, ...extra }, who.token);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const history = async (on: TestApp, roomId: string, who: Person, query = '') => on.client.get(`/conversations/${roomId}/messages${query}`, who.token);
  /** Every Redis key of the test run that names the room. */
  const redisKeysOf = async (roomId: string): Promise<string[]> => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${process.env.REDIS_PREFIX}*${roomId}*`, 'COUNT', 1000);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    return found;
  };
  /** How many rows of any table hold the text (every row as text: no column is left out). */
  const rowsInPostgresHolding = async (text: string): Promise<string[]> => {
    const tables = await t.prisma.$queryRaw<Array<{ name: string }>>`
      SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
    assert.ok(tables.some((row) => row.name === 'Message'));
    const holding: string[] = [];
    for (const { name } of tables) {
      const [{ n }] = await t.prisma.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM "${name}" t WHERE t::text LIKE $1`, `%${text}%`);
      if (n > 0) holding.push(name);
    }
    return holding;
  };

  test('messages, edits, reactions and threads reach members live and through history, and never PostgreSQL', async () => {
    const [a, b, outsider] = await people(t, 3);
    const room = await createRoom(t, a, [b]);
    assert.equal(room.ephemeral, true);
    const v2 = await stack.connect(b.token);
    const v1 = await stack.connect(b.token, { features: [] });
    const updates: TMessage[] = [];
    v2.socket.on('message:updated', (m) => updates.push(m));
    const texts = [unique('first'), unique('reply'), unique('edited'), unique('mention')];

    const first = await send(t, room.id, a, texts[0]);
    assert.deepEqual([first.seq, first.eventSeq, first.conversationId, first.sender.id], [1, 1, room.id, a.id]);
    const retry = await t.client.post(`/conversations/${room.id}/messages`, { clientMsgId: first.clientMsgId, body: texts[0] }, a.token);
    assert.equal(retry.status, 200, 'a retried clientMsgId answers the stored message');
    assert.deepEqual(retry.body, first);
    const reply = await send(t, room.id, b, texts[1], { threadRootId: first.id });
    assert.deepEqual([reply.seq, reply.eventSeq, reply.threadRootId], [2, 2, first.id]);
    assert.equal((await t.client.post(`/conversations/${room.id}/messages`, { clientMsgId: unique('c'), body: 'x', threadRootId: reply.id }, b.token)).status, 400, 'no reply to a reply');
    assert.equal((await t.client.put(`/conversations/${room.id}/messages/${first.id}/reactions/${encodeURIComponent('👍')}`, undefined, b.token)).status, 204);
    const edited = await t.client.patch(`/conversations/${room.id}/messages/${first.id}`, { body: texts[2] }, a.token);
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal((await t.client.patch(`/conversations/${room.id}/messages/${first.id}`, { body: 'hijack' }, b.token)).status, 403);
    const mention = await send(t, room.id, a, `@${b.user.username} ${texts[3]}`);
    assert.deepEqual(mention.mentions, { userIds: [b.id], everyone: false });

    // live: new messages as message(s), changes as message:updated (eventSeq dense: 3 root reply count, 4 reaction, 5 edit)
    // b is in `all` too, where other test files send meanwhile: the room's messages are counted
    const inRoom = (socket: RecordingSocket) => socket.messages.filter((m) => m.conversationId === room.id);
    for (const socket of [v2, v1]) await eventually(() => inRoom(socket).length === 3, 'three new messages on the socket');
    assert.deepEqual(inRoom(v1).map((m) => m.seq), [1, 2, 3]);
    await eventually(() => updates.some((u) => u.editedAt !== null), 'the edit live');
    assert.deepEqual(updates.map((u) => u.eventSeq), [3, 4, 5]);
    const current = updates[2];
    assert.deepEqual([current.body, current.replyCount, current.reactions], [texts[2], 1, [{ emoji: '👍', userIds: [b.id] }]]);
    assert.equal(edited.body.eventSeq, 5);

    // history, thread, around, changes: as for any conversation
    const page = await history(t, room.id, b);
    assert.equal(page.status, 200);
    assert.deepEqual(page.body.items.map((m: TMessage) => [m.seq, m.body]), [[1, texts[2]], [2, texts[1]], [3, mention.body]]);
    assert.deepEqual(page.body.items[0], current);
    assert.deepEqual((await history(t, room.id, b, `?thread=${first.id}`)).body.items.map((m: TMessage) => m.id), [reply.id]);
    assert.deepEqual((await history(t, room.id, b, '?around=2&limit=1')).body.items.map((m: TMessage) => m.seq), [2]);
    assert.deepEqual((await history(t, room.id, b, '?before=3&limit=1')).body.items.map((m: TMessage) => m.seq), [2]);
    const changes = (await t.client.get(`/conversations/${room.id}/changes?after=2`, b.token)).body;
    assert.deepEqual(changes.items.map((m: TMessage) => [m.seq, m.eventSeq]), [[1, 5], [3, 6]]);
    assert.equal((await history(t, room.id, outsider)).status, 404, 'a private room does not exist for others');
    const intruder = await t.client.post(`/conversations/${room.id}/messages`, { clientMsgId: unique('c'), body: unique('intruder') }, outsider.token);
    assert.equal(intruder.status, 404, 'nor can they send to it');
    assert.equal((await t.client.put(`/conversations/${room.id}/messages/${first.id}/reactions/${encodeURIComponent('👍')}`, undefined, outsider.token)).status, 404);
    assert.equal((await t.client.get(`/conversations/${room.id}/changes?after=0`, outsider.token)).status, 404);

    // read pointer and unread counts (the pointer is a number in the membership row)
    const listed = (await t.client.get('/conversations', b.token)).body.items.find((c: TConversation) => c.id === room.id);
    assert.deepEqual([listed.lastSeq, listed.lastEventSeq, listed.unread, listed.mentions, listed.lastMessage?.id, listed.ephemeral], [3, 6, 3, 1, mention.id, true]);
    assert.equal((await t.client.post(`/conversations/${room.id}/read`, { seq: 99 }, b.token)).status, 204);
    const read = (await t.client.get('/conversations', b.token)).body.items.find((c: TConversation) => c.id === room.id);
    assert.deepEqual([read.readSeq, read.unread, read.mentions], [3, 0, 0]);

    // a member who joins gets what is still there
    const [late] = await people(t, 1);
    assert.equal((await t.client.post(`/groups/${room.id}/members`, { userIds: [late.id] }, a.token)).status, 200);
    assert.deepEqual((await history(t, room.id, late)).body.items.map((m: TMessage) => m.seq), [1, 2, 3]);

    // deleting erases the text where it lives
    assert.equal((await t.client.delete(`/conversations/${room.id}/messages/${reply.id}`, a.token)).status, 204, 'the owner moderates');
    assert.equal((await history(t, room.id, b, '?around=2&limit=1')).body.items[0].body, '');

    for (const text of [...texts, first.clientMsgId]) assert.deepEqual(await rowsInPostgresHolding(text), [], `${text} reached PostgreSQL`);
    assert.equal(await t.prisma.membershipNotice.count({ where: { conversationId: room.id } }), 0, 'no notices kept for the room');
  });

  test('search finds a room\'s messages for its members only; the export leaves the room out', async () => {
    const [a, b, outsider] = await people(t, 3);
    const room = await createRoom(t, a, [b], 'public');
    const word = unique('zq').toLowerCase();
    const message = await send(t, room.id, a, `the ${word} is here`);
    const search = (who: Person, extra = '') => t.client.get(`/search/messages?q=${word}${extra}`, who.token);
    const found = await search(b);
    assert.equal(found.status, 200);
    assert.deepEqual(found.body.items.map((h: { message: TMessage }) => h.message.id), [message.id]);
    assert.deepEqual(found.body.items[0].conversation, { id: room.id, kind: 'group', name: 'vanishing' });
    assert.deepEqual(found.body.items[0].highlights, [{ start: 4, end: 4 + word.length }]);
    assert.equal((await search(b, `&conversationId=${room.id}`)).body.items.length, 1);
    assert.deepEqual((await search(outsider)).body.items, [], 'not to a non-member');
    assert.equal((await search(outsider, `&conversationId=${room.id}`)).status, 403, 'a public room: 403 as for its history');

    const res = await fetch(`${t.baseUrl}/api/me/export`, { headers: { authorization: `Bearer ${a.token}` } });
    assert.equal(res.status, 200);
    const zip = Buffer.from(await res.arrayBuffer());
    const files = await unzipText(zip);
    assert.ok(![...files.keys()].some((path) => path.includes(room.id)), 'no file of the room');
    for (const [path, text] of files) assert.ok(!text?.includes(word) && !text?.includes(room.id), `${path} mentions the room`);
  });

  test('the last member leaving removes the room and everything in it (404, no Redis key), also after a restart', async () => {
    const [a, b] = await people(t, 2);
    const room = await createRoom(t, a, [b]);
    const first = await send(t, room.id, a, unique('bye'));
    await send(t, room.id, b, unique('reply'), { threadRootId: first.id });
    assert.ok((await redisKeysOf(room.id)).length > 0);
    assert.equal((await t.client.delete(`/groups/${room.id}/members/${a.id}`, a.token)).status, 204);
    assert.equal((await history(t, room.id, b)).status, 200, 'still there while b is in it');
    assert.equal((await t.client.delete(`/groups/${room.id}/members/${b.id}`, b.token)).status, 204);
    assert.equal((await history(t, room.id, b)).status, 404);
    assert.equal((await t.client.post(`/groups/${room.id}/join`, undefined, b.token)).status, 404);
    assert.equal(await t.prisma.conversation.count({ where: { id: room.id } }), 0);
    assert.equal(await t.prisma.membership.count({ where: { conversationId: room.id } }), 0);
    assert.deepEqual(await redisKeysOf(room.id), []);
    assert.equal(await redis.sismember(stack.t.app.get(EphemeralRoomStore).roomsKey, room.id), 0);

    // a fresh api and worker: still gone
    await restart();
    assert.equal((await history(t, room.id, b)).status, 404);
    assert.deepEqual(await redisKeysOf(room.id), []);
  });

  test('keys of a room whose row is gone (a crash between the two deletes) are swept', async () => {
    const [a] = await people(t, 1);
    const room = await createRoom(t, a);
    await send(t, room.id, a, unique('orphan'));
    await t.prisma.conversation.delete({ where: { id: room.id } });
    assert.ok((await redisKeysOf(room.id)).length > 0);
    await t.app.get(EphemeralRoomSweeper).sweep();
    assert.deepEqual(await redisKeysOf(room.id), []);
  });

  test('the room survives an api and worker restart while members remain', async () => {
    const [a, b] = await people(t, 2);
    const room = await createRoom(t, a, [b]);
    const kept = await send(t, room.id, a, unique('kept'));
    await restart();
    const page = await history(t, room.id, b);
    assert.deepEqual(page.body.items, [kept]);
    const next = await send(t, room.id, b, unique('after'));
    assert.deepEqual([next.seq, next.eventSeq], [2, 2], 'the counters went on');
  });

  test('messages older than the time-to-live vanish (EPHEMERAL_TTL_SECONDS)', async () => {
    const previous = process.env.EPHEMERAL_TTL_SECONDS;
    process.env.EPHEMERAL_TTL_SECONDS = '2';
    await restart();
    const short = stack;
    try {
      const [a, b] = await people(short.t, 2);
      const room = await createRoom(short.t, a, [b]);
      await send(short.t, room.id, a, unique('old'));
      const [, ttl] = await Promise.all([history(short.t, room.id, b), redis.ttl(short.t.app.get(EphemeralRoomStore).keys(room.id)[1])]);
      assert.ok(ttl > 0 && ttl <= 2, `the keys carry the hard cap (ttl ${ttl})`);
      await new Promise((resolve) => setTimeout(resolve, 2_300));
      const young = await send(short.t, room.id, b, unique('young'));
      assert.deepEqual((await history(short.t, room.id, b)).body.items.map((m: TMessage) => m.seq), [young.seq]);
      assert.equal(young.seq, 2, 'seq goes on: the counters stay with the room');
      const listed = (await short.t.client.get('/conversations', a.token)).body.items.find((c: TConversation) => c.id === room.id);
      assert.equal(listed.lastMessage.id, young.id);
      assert.equal(await redis.hlen(short.t.app.get(EphemeralRoomStore).keys(room.id)[1]), 1, 'only the young message is in Redis');
    } finally {
      if (previous === undefined) delete process.env.EPHEMERAL_TTL_SECONDS;
      else process.env.EPHEMERAL_TTL_SECONDS = previous;
      await restart();
    }
  });

  const uploadAs = async (who: Person, text: string, name = 'notes.txt'): Promise<TAttachment> => {
    const form = new FormData();
    form.append('file', new Blob([new TextEncoder().encode(text)]), name);
    const res = await fetch(`${t.baseUrl}/api/uploads`, { method: 'POST', body: form, headers: { authorization: `Bearer ${who.token}` } });
    assert.equal(res.status, 201);
    return (await res.json()) as TAttachment;
  };
  const download = async (url: string, who: Person) => {
    const res = await fetch(`${t.baseUrl}${url}`, { headers: { authorization: `Bearer ${who.token}` } });
    return { status: res.status, text: await res.text() };
  };
  /** Whether the api's store still holds the upload's bytes. */
  const bytesKept = async (id: string): Promise<boolean> => (await t.app.get<FileStore>(FILE_STORE).open(attachmentKeys(id).original)) !== null;

  test('files in a vanishing room: members read them while the message is there, the text never reaches PostgreSQL, deleted with it', async () => {
    const [a, b, outsider] = await people(t, 3);
    const room = await createRoom(t, a, [b]);
    const live = await stack.connect(b.token);
    const file = await uploadAs(a, unique('bytes'));
    const text = unique('caption');
    const clientMsgId = unique('c');
    const res = await t.client.post(`/conversations/${room.id}/messages`, { clientMsgId, body: text, attachmentIds: [file.id] }, a.token);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const sent: TMessage = res.body;
    assert.deepEqual(sent.attachments.map((f) => [f.id, f.name, f.url]), [[file.id, 'notes.txt', file.url]]);
    await eventually(() => live.messages.some((m) => m.id === sent.id && m.attachments[0]?.id === file.id), 'b receives it with its file');
    assert.deepEqual((await history(t, room.id, b)).body.items.map((m: TMessage) => m.attachments.map((f) => f.id)), [[file.id]]);
    const retried = await t.client.post(`/conversations/${room.id}/messages`, { clientMsgId, body: text, attachmentIds: [file.id] }, a.token);
    assert.deepEqual([retried.status, retried.body.id], [200, sent.id], 'a retry answers the stored message');
    assert.equal((await download(file.url, b)).status, 200, 'a member reads it');
    assert.equal((await download(file.url, outsider)).status, 404, 'an outsider does not');
    // the row is the upload's metadata, tied to the room; nothing of the message's text
    assert.deepEqual(await rowsInPostgresHolding(text), []);
    const row = await t.prisma.attachment.findUniqueOrThrow({ where: { id: file.id } });
    assert.deepEqual([row.messageId, row.roomId, row.roomMessageId, row.uploaderId], [null, room.id, sent.id, a.id]);
    const again = await t.client.post(`/conversations/${room.id}/messages`, { clientMsgId: unique('c'), body: 'twice', attachmentIds: [file.id] }, a.token);
    assert.equal(again.status, 400, 'sent once only');
    assert.match(again.body.error.fields.attachmentIds, /already sent/);

    assert.equal((await t.client.delete(`/conversations/${room.id}/messages/${sent.id}`, a.token)).status, 204);
    assert.equal((await download(file.url, b)).status, 404);
    assert.equal((await download(file.url, a)).status, 404, 'not even its uploader');
    assert.equal(await t.prisma.attachment.count({ where: { id: file.id } }), 0, 'the row is gone');
    assert.equal(await bytesKept(file.id), false, 'the bytes are gone');
  });

  test('files in a vanishing room go with the room (last member leaves) and at the time-to-live', async () => {
    const [a, b] = await people(t, 2);
    const room = await createRoom(t, a, [b]);
    const file = await uploadAs(a, unique('room'));
    await send(t, room.id, a, 'see file', { attachmentIds: [file.id] });
    for (const who of [a, b]) assert.equal((await t.client.delete(`/groups/${room.id}/members/${who.id}`, who.token)).status, 204);
    assert.equal(await t.prisma.attachment.count({ where: { id: file.id } }), 0);
    assert.equal(await bytesKept(file.id), false);

    // the time-to-live: the message expired (Redis), the sweeper removes its file
    const other = await createRoom(t, a, [b]);
    const late = await uploadAs(a, unique('late'));
    const unsent = await uploadAs(a, unique('unsent'));
    await send(t, other.id, a, 'see file', { attachmentIds: [late.id] });
    await t.prisma.$executeRaw`UPDATE "Attachment" SET "sentAt" = now() - interval '25 hours' WHERE "id" = ${late.id}::uuid`;
    const swept = await t.app.get(EphemeralRoomSweeper).sweep();
    assert.ok(swept.files >= 1, JSON.stringify(swept));
    assert.equal(await t.prisma.attachment.count({ where: { id: late.id } }), 0);
    assert.equal(await bytesKept(late.id), false);
    assert.equal(await bytesKept(unsent.id), true, 'an upload not sent yet stays (its own 24 h cleanup)');
  });

  test('a refused send into a vanishing room leaves its files unsent (a thread root that is not there)', async () => {
    const [a] = await people(t, 1);
    const room = await createRoom(t, a);
    const file = await uploadAs(a, unique('kept'));
    const res = await t.client.post(`/conversations/${room.id}/messages`, { clientMsgId: unique('c'), body: 'x', attachmentIds: [file.id], threadRootId: crypto.randomUUID() }, a.token);
    assert.equal(res.status, 400);
    const row = await t.prisma.attachment.findUniqueOrThrow({ where: { id: file.id } });
    assert.deepEqual([row.roomId, row.uploaderId, row.deletedAt], [null, a.id, null]);
    assert.equal((await t.client.post(`/conversations/${room.id}/messages`, { clientMsgId: unique('c'), body: 'ok', attachmentIds: [file.id] }, a.token)).status, 201);
  });

  test('bad input: ephemeral must be a boolean, nothing stored', async () => {
    const [a] = await people(t, 1);
    const name = unique('refused').slice(0, 40);
    const res = await t.client.post('/groups', { name, ephemeral: 'yes' }, a.token);
    assert.equal(res.status, 400);
    assert.ok(res.body.error.fields.ephemeral, JSON.stringify(res.body));
    assert.equal(await t.prisma.conversation.count({ where: { name } }), 0);
  });

  test('a vanishing room takes anonymous questions, with files: the author edits, nothing in Redis or PostgreSQL names them', async () => {
    const [a, b, c] = await people(t, 3);
    const created = await t.client.post('/groups', { name: 'ask', ephemeral: true, anonymousQuestions: true, memberIds: [b.id, c.id] }, a.token);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const room: TConversation = created.body;
    assert.deepEqual([room.ephemeral, room.anonymousQuestions], [true, true]);
    const cTab = await stack.connect(c.token);
    const file = await uploadAs(b, unique('anon'));
    const text = unique('question');
    const clientMsgId = unique('c');
    const asked = await t.client.post(`/conversations/${room.id}/messages`, { clientMsgId, body: text, anonymous: true, attachmentIds: [file.id] }, b.token);
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    const question: TMessage = asked.body;
    assert.deepEqual([question.anonymous, question.sender.id, question.attachments.length], [true, 'anonymous', 1]);
    const retriedNamed = await t.client.post(`/conversations/${room.id}/messages`, { clientMsgId, body: text }, b.token);
    assert.deepEqual([retriedNamed.status, retriedNamed.body.id], [200, question.id], 'a retry without the flag is still the same message');
    await eventually(() => cTab.messages.some((m) => m.id === question.id), 'c receives it');
    assert.equal((await download(file.url, c)).status, 200, 'members read its file');
    assert.equal((await t.prisma.attachment.findUniqueOrThrow({ where: { id: file.id } })).uploaderId, null, 'the row forgets its uploader');

    for (const other of [a, c]) assert.equal((await t.client.patch(`/conversations/${room.id}/messages/${question.id}`, { body: 'hijacked' }, other.token)).status, 403);
    const edited = await t.client.patch(`/conversations/${room.id}/messages/${question.id}`, { body: `${text} (edited)` }, b.token);
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal(edited.body.sender.id, 'anonymous');
    assert.equal((await t.client.delete(`/conversations/${room.id}/messages/${question.id}`, c.token)).status, 403, 'a member may not delete it');

    const seen = [
      JSON.stringify(cTab.messages),
      JSON.stringify(cTab.events.get('message:updated') ?? null),
      JSON.stringify((await history(t, room.id, c)).body),
      JSON.stringify((await t.client.get(`/conversations/${room.id}/changes?after=0`, a.token)).body),
      JSON.stringify((await t.client.get(`/search/messages?q=${text}`, c.token)).body),
      JSON.stringify((await t.client.get('/conversations?limit=100', a.token)).body),
    ];
    assert.ok(seen[2].includes(question.id), 'the scan reads the message');
    const redisValues: string[] = [];
    for (const key of await redisKeysOf(room.id)) {
      const type = await redis.type(key);
      if (type === 'hash') redisValues.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'zset') redisValues.push(JSON.stringify(await redis.zrange(key, 0, -1)));
    }
    assert.ok(redisValues.some((v) => v.includes(question.id)), 'the scan reads the room');
    for (const needle of [b.id, b.user.username]) {
      for (const text of [...seen, ...redisValues]) assert.ok(!text.includes(needle), `${needle} in ${text.slice(0, 300)}`);
    }
    assert.equal((await t.client.delete(`/conversations/${room.id}/messages/${question.id}`, b.token)).status, 204, 'the author deletes it');
    assert.equal(await bytesKept(file.id), false);
  });
});
