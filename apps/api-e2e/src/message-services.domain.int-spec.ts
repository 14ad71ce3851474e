import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '@chatbox/server-common';
import { MembershipService, MessageChangeService, MessageService } from '@chatbox/server-chat';
import { allConversationId, createDirect, createGroup, createTestApp, TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

/**
 * The message and membership services on the real PostgreSQL, called directly (no HTTP): the
 * database, Redis and the fan-out queue are real; no worker runs, so nothing is delivered.
 */
describe('message and membership services on the real database', () => {
  let t: TestApp;
  let messages: MessageService;
  let changes: MessageChangeService;
  let memberships: MembershipService;
  before(async () => {
    t = await createTestApp(ApiModule);
    [messages, changes, memberships] = [t.app.get(MessageService), t.app.get(MessageChangeService), t.app.get(MembershipService)];
  });
  after(() => t.close());

  const users = async (n: number) => (await Promise.all(Array.from({ length: n }, () => t.client.registerUser()))).map((u) => u.user.id);
  const code = (err: unknown) => (err instanceof AppError ? err.code : String(err));

  test('concurrent sends, replies, edits and reactions take dense eventSeqs: one per change, none twice', async () => {
    const people = await users(6);
    const group = await createGroup(t.prisma, people[0], people);
    const root = (await messages.send(people[0], group, { clientMsgId: 'root', body: 'root' })).message;
    const ops: Array<Promise<unknown>> = people.flatMap((u, i) => [
      messages.send(u, group, { clientMsgId: `s-${i}`, body: 'hello' }),
      messages.send(u, group, { clientMsgId: `r-${i}`, body: 'reply', threadRootId: root.id }),
      changes.react(u, group, root.id, ':+1:', true),
      changes.react(u, group, root.id, `:e${i}:`, true),
    ]);
    ops.push(changes.edit(people[0], group, root.id, 'root, edited'));
    await Promise.all(ops);
    const conversation = await t.prisma.conversation.findUniqueOrThrow({ where: { id: group } });
    const rows = await t.prisma.message.findMany({ where: { conversationId: group }, select: { seq: true, eventSeq: true, createdEventSeq: true } });
    // 13 messages (root, 6 sends, 6 replies); root changes: 12 reactions, 1 edit, 1..6 reply counts (batched replies share one)
    assert.equal(conversation.lastSeq, 13);
    const rootCounts = conversation.lastEventSeq - (13 + 12 + 1);
    assert.ok(rootCounts >= 1 && rootCounts <= 6, `every eventSeq is one change: ${conversation.lastEventSeq}`);
    const creations = rows.map((r) => r.createdEventSeq);
    assert.equal(new Set(creations).size, 13, 'each message created at its own eventSeq');
    assert.equal(new Set(rows.map((r) => r.eventSeq)).size, 13);
    assert.ok(rows.every((r) => r.eventSeq <= conversation.lastEventSeq && r.createdEventSeq <= r.eventSeq));
    const rootNow = await t.prisma.message.findUniqueOrThrow({ where: { id: root.id } });
    assert.equal(rootNow.replyCount, 6);
    assert.equal(rootNow.body, 'root, edited');
    assert.equal(rootNow.eventSeq, conversation.lastEventSeq, 'the root changed last or its reply count came last');
    assert.deepEqual((rootNow.reactions as Array<{ emoji: string; userIds: string[] }>).find((r) => r.emoji === ':+1:')?.userIds.sort(), [...people].sort());
    assert.equal((rootNow.reactions as unknown[]).length, 7);
    // the outbox named every change exactly once (the api deleted each row after enqueueing its job)
    assert.equal(await t.prisma.fanoutOutbox.count({ where: { conversationId: group } }), 0);
  });

  test('25 people adding 25 different emojis at once: exactly 20 stored, the rest refused with conflict', async () => {
    const people = await users(25);
    const group = await createGroup(t.prisma, people[0], people);
    const m = (await messages.send(people[0], group, { clientMsgId: 'popular', body: 'x' })).message;
    const results = await Promise.allSettled(people.map((u, i) => changes.react(u, group, m.id, `:r${i}:`, true)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 20);
    assert.ok(results.every((r) => r.status === 'fulfilled' || code(r.reason) === 'conflict'));
    const stored = await t.prisma.message.findUniqueOrThrow({ where: { id: m.id } });
    assert.equal((stored.reactions as unknown[]).length, 20);
    const conversation = await t.prisma.conversation.findUniqueOrThrow({ where: { id: group } });
    assert.equal(conversation.lastEventSeq, 21, 'refusals took no eventSeq');
  });

  test('delete by the group owner, not by another member; direct and all cannot be left (their policies)', async () => {
    const [owner, a, b] = await users(3);
    const group = await createGroup(t.prisma, owner, [a, b]);
    const m = (await messages.send(a, group, { clientMsgId: 'x', body: 'x' })).message;
    await assert.rejects(changes.delete(b, group, m.id), (err) => code(err) === 'forbidden');
    await changes.delete(owner, group, m.id);
    assert.equal((await t.prisma.message.findUniqueOrThrow({ where: { id: m.id } })).body, '');
    const direct = await createDirect(t.prisma, a, b);
    await assert.rejects(memberships.removeMember(a, direct, a), (err) => code(err) === 'forbidden');
    await assert.rejects(memberships.removeMember(a, await allConversationId(t.prisma), a), (err) => code(err) === 'forbidden');
    await memberships.removeMember(owner, group, b);
    await assert.rejects(changes.react(b, group, m.id, ':wave:', true), (err) => code(err) === 'not_found', 'a removed member is a non-member');
  });
});
