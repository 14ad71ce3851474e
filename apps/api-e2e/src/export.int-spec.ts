import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EXPORT_FILES, TMessage, ZExportAccount, ZExportConversation, ZExportMemberships } from '@chatbox/contracts';
import { Prisma } from '@chatbox/server-db';
import { unzipText } from '@chatbox/server-testing';
import { useStack } from './support/stack';
import { allConversationId, createGroup, people, Person } from './support/chat-fixtures';

/** API.md "Accounts and administration": GET /api/me/export, unzipped and compared with the database. */
describe('export: GET /api/me/export', () => {
  const stack = useStack();

  const send = async (conversationId: string, who: Person, body: string, extra: Record<string, unknown> = {}): Promise<TMessage> => {
    const res = await stack.t.client.post(`/conversations/${conversationId}/messages`, { clientMsgId: `c-${Math.random()}`, body, ...extra }, who.token);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };

  const download = async (who: Person) => {
    const res = await fetch(`${stack.t.baseUrl}/api/me/export`, { headers: { authorization: `Bearer ${who.token}` } });
    const zip = Buffer.from(await res.arrayBuffer());
    return { res, zip, files: res.status === 200 ? await unzipText(zip) : new Map<string, string | null>() };
  };

  /** Every message of a conversation as the database has it now, by seq (the fields a Message takes from its row). */
  const storedMessages = (conversationId: string) =>
    stack.t.prisma.message.findMany({
      where: { conversationId },
      orderBy: { seq: 'asc' },
      select: { id: true, seq: true, senderId: true, body: true, clientMsgId: true, createdAt: true, eventSeq: true, editedAt: true, deletedAt: true, threadRootId: true, replyCount: true, reactions: true },
    });
  const asStored = (m: TMessage) => ({
    id: m.id,
    seq: m.seq,
    senderId: m.sender.id,
    body: m.body,
    clientMsgId: m.clientMsgId,
    createdAt: new Date(m.createdAt),
    eventSeq: m.eventSeq,
    editedAt: m.editedAt ? new Date(m.editedAt) : null,
    deletedAt: m.deletedAt ? new Date(m.deletedAt) : null,
    threadRootId: m.threadRootId,
    replyCount: m.replyCount,
    reactions: m.reactions,
  });

  test('a streamed zip of the account, memberships and every message of every conversation, as stored', async () => {
    const [ann, bob, eve] = await people(stack.t, 3);
    const group = await createGroup(stack.t, ann, { name: 'exported group', memberIds: [bob.id] });
    const root = await send(group.id, bob, 'a root from bob');
    await send(group.id, ann, 'a reply from ann', { threadRootId: root.id });
    const edited = await send(group.id, ann, 'first words');
    assert.equal((await stack.t.client.patch(`/conversations/${group.id}/messages/${edited.id}`, { body: 'edited words' }, ann.token)).status, 200);
    const erased = await send(group.id, bob, 'soon deleted');
    assert.equal((await stack.t.client.delete(`/conversations/${group.id}/messages/${erased.id}`, bob.token)).status, 204);
    assert.equal((await stack.t.client.request('PUT', `/conversations/${group.id}/messages/${root.id}/reactions/${encodeURIComponent('👍')}`, { token: ann.token })).status, 204);
    const direct = (await stack.t.client.post('/conversations/direct', { userId: bob.id }, ann.token)).body;
    await send(direct.id, ann, 'hello bob, privately');
    const othersGroup = await createGroup(stack.t, bob, { memberIds: [eve.id] });
    await send(othersGroup.id, eve, 'ann must not see this');

    const { res, zip, files } = await download(ann);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/zip');
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="chatbox-export-\d{4}-\d{2}-\d{2}\.zip"$/);
    assert.equal(res.headers.get('content-length'), null, 'streamed (chunked), not built first');
    assert.equal(zip.subarray(0, 4).toString('latin1'), 'PK\x03\x04');

    const account = ZExportAccount.parse(JSON.parse(files.get(EXPORT_FILES.account) ?? ''));
    const row = await stack.t.prisma.user.findUniqueOrThrow({ where: { id: ann.id } });
    assert.deepEqual(
      { id: account.user.id, username: account.user.username, displayName: account.user.displayName, shareReadReceipts: account.shareReadReceipts, createdAt: account.createdAt },
      { id: row.id, username: row.username, displayName: row.displayName, shareReadReceipts: row.shareReadReceipts, createdAt: row.createdAt.toISOString() },
    );
    assert.ok(!(files.get(EXPORT_FILES.account) ?? '').includes(row.passwordHash), 'no password hash');

    const all = await allConversationId(stack.t);
    const memberships = ZExportMemberships.parse(JSON.parse(files.get(EXPORT_FILES.memberships) ?? ''));
    const stored = await stack.t.prisma.membership.findMany({ where: { userId: ann.id } });
    assert.deepEqual(
      memberships.items.map((m) => [m.conversation.id, m.conversation.role, m.joinedAt]).sort(),
      stored.map((m) => [m.conversationId, m.role, m.joinedAt.toISOString()]).sort(),
    );
    assert.deepEqual(new Set(memberships.items.map((m) => m.conversation.id)), new Set([group.id, direct.id, all]));

    assert.deepEqual(
      [...files.keys()].sort(),
      [EXPORT_FILES.account, EXPORT_FILES.attachments, EXPORT_FILES.memberships, ...[group.id, direct.id, all].map(EXPORT_FILES.conversation)].sort(),
    );
    assert.equal(files.get(EXPORT_FILES.attachments), null, 'attachments/ is a folder (empty until attachments exist)');
    for (const id of [group.id, direct.id]) {
      const file = ZExportConversation.parse(JSON.parse(files.get(EXPORT_FILES.conversation(id)) ?? ''));
      assert.equal(file.conversation.id, id);
      assert.deepEqual(file.messages.map(asStored), await storedMessages(id), `conversation ${id} as stored`);
    }
    const groupFile = ZExportConversation.parse(JSON.parse(files.get(EXPORT_FILES.conversation(group.id)) ?? ''));
    assert.equal(groupFile.messages.length, 4);
    assert.deepEqual(groupFile.messages.find((m) => m.id === erased.id)?.body, '', 'a deleted message is exported erased');
    // the version 2 Message, exactly as history answers it
    const history = (await stack.t.client.get(`/conversations/${group.id}/messages?limit=100`, ann.token)).body.items as TMessage[];
    assert.deepEqual(groupFile.messages, history);

    // the whole-site conversation gets messages from other test files meanwhile: the export is a prefix, seq 1..n, as stored
    const allFile = ZExportConversation.parse(JSON.parse(files.get(EXPORT_FILES.conversation(all)) ?? ''));
    assert.deepEqual(allFile.messages.map((m) => m.seq), allFile.messages.map((_, i) => i + 1));
    const allStored = await storedMessages(all);
    assert.deepEqual(allFile.messages.map((m) => m.id), allStored.slice(0, allFile.messages.length).map((m) => m.id));

    assert.ok(!zip.includes(Buffer.from('ann must not see this')), 'nothing of conversations ann is not in');
  });

  test('a conversation longer than one page of reads comes whole, in seq order', async () => {
    const [ann] = await people(stack.t, 1);
    const group = await createGroup(stack.t, ann, { name: 'long history' });
    const n = 1234;
    // stored straight into the database: sending 1,234 messages through the api would only test sends
    await stack.t.prisma.$executeRaw(Prisma.sql`
      WITH bump AS (UPDATE "Conversation" SET "lastSeq" = ${n}, "lastEventSeq" = ${n} WHERE "id" = ${group.id}::uuid RETURNING "id")
      INSERT INTO "Message" ("id", "conversationId", "seq", "eventSeq", "createdEventSeq", "senderId", "body", "clientMsgId")
      SELECT gen_random_uuid(), bump."id", s, s, s, ${ann.id}::uuid, 'line ' || s, 'bulk-' || s FROM bump, generate_series(1, ${n}) s`);
    const { files } = await download(ann);
    const file = ZExportConversation.parse(JSON.parse(files.get(EXPORT_FILES.conversation(group.id)) ?? ''));
    assert.equal(file.messages.length, n);
    assert.deepEqual(file.messages.map((m) => m.seq), Array.from({ length: n }, (_, i) => i + 1));
    assert.deepEqual(file.messages.map(asStored), await storedMessages(group.id));
  });

  test('a group the user left is not exported; without a login: 401', async () => {
    const [ann, bob] = await people(stack.t, 2);
    const group = await createGroup(stack.t, bob, { memberIds: [ann.id] });
    await send(group.id, bob, 'before ann left');
    assert.equal((await stack.t.client.delete(`/groups/${group.id}/members/${ann.id}`, ann.token)).status, 204);
    const { files } = await download(ann);
    assert.equal(files.has(EXPORT_FILES.conversation(group.id)), false);
    const anonymous = await stack.t.client.get('/me/export');
    assert.equal(anonymous.status, 401);
  });
});
