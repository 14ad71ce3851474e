import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '@chatbox/server-common';
import { eventSeqOf } from '@chatbox/contracts';
import {
  AfterCommit,
  ChangeBatcher,
  ChangeOutcome,
  MembershipService,
  MessageChange,
  MessageChangeRepository,
  MessageChangeService,
  MessageService,
  StoredChange,
} from '@chatbox/server-chat';
import { allConversationId, createDirect, createGroup, createTestApp, eventually, TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

const NO_MENTIONS = { names: '', everyone: false };

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
    // each reply is counted on its root in the reply's own statement, after it: the root's
    // current eventSeq comes after every reply's (plain sends may come later: batches vary with load)
    const replies = await t.prisma.message.findMany({ where: { conversationId: group, threadRootId: root.id }, select: { createdEventSeq: true } });
    assert.equal(replies.length, 6);
    assert.ok(replies.every((r) => r.createdEventSeq < rootNow.eventSeq), 'the root changed after every reply (its reply count)');
    assert.deepEqual((rootNow.reactions as Array<{ emoji: string; userIds: string[] }>).find((r) => r.emoji === ':+1:')?.userIds.sort(), [...people].sort());
    assert.equal((rootNow.reactions as unknown[]).length, 7);
    // the outbox named every change exactly once (the api deletes each row once it delivered or enqueued it, with the others of its window)
    await eventually(async () => (await t.prisma.fanoutOutbox.count({ where: { conversationId: group } })) === 0, 'no outbox row left');
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

  test('a burst of changes is group-committed: a few statements and enqueues for all, each change decided exactly in its batch', async () => {
    const [a, b, c, outsider] = await users(4);
    const group = await createGroup(t.prisma, a, [b, c]); // a owns it
    const send = async (u: string, id: string) => (await messages.send(u, group, { clientMsgId: id, body: id })).message;
    const [m1, m2, gone, full] = [await send(a, 'm1'), await send(b, 'm2'), await send(b, 'gone'), await send(a, 'full')];
    await changes.delete(b, group, gone.id);
    for (let i = 0; i < 20; i++) await changes.react(a, group, full.id, `:f${i}:`, true);
    const before = (await t.prisma.conversation.findUniqueOrThrow({ where: { id: group } })).lastEventSeq;

    // count the statements and the enqueues (the real ones run)
    const [repository, afterCommit] = [t.app.get(MessageChangeRepository), t.app.get(AfterCommit)];
    const [applyBatch, fanOut] = [repository.applyBatch, afterCommit.fanOut];
    const statements: number[] = [];
    const enqueued: StoredChange[][] = [];
    repository.applyBatch = (batch, max, opts) => (statements.push(batch.length), applyBatch.call(repository, batch, max, opts));
    afterCommit.fanOut = (committed) => (enqueued.push([...committed]), fanOut.call(afterCommit, committed));
    const batcher = t.app.get(ChangeBatcher);
    const burst: Array<[string, string, MessageChange, ChangeOutcome['outcome']]> = [
      [a, m1.id, { kind: 'edit', body: 'm1 edited', mentions: NO_MENTIONS }, 'changed'],
      [b, m1.id, { kind: 'edit', body: 'hijack', mentions: NO_MENTIONS }, 'forbidden'],
      [b, m1.id, { kind: 'react', emoji: '👍' }, 'changed'],
      [c, m1.id, { kind: 'react', emoji: '👍' }, 'changed'], // joins b's, an earlier change of the batch
      [c, m1.id, { kind: 'react', emoji: '👍' }, 'unchanged'], // idempotent within the batch
      [c, m1.id, { kind: 'unreact', emoji: '👍' }, 'changed'],
      [b, gone.id, { kind: 'edit', body: 'x', mentions: NO_MENTIONS }, 'deleted'],
      [c, gone.id, { kind: 'react', emoji: '👍' }, 'deleted'],
      [b, gone.id, { kind: 'delete', asAdmin: false }, 'unchanged'],
      [c, m2.id, { kind: 'delete', asAdmin: false }, 'forbidden'],
      [b, full.id, { kind: 'react', emoji: ':new:' }, 'full'],
      [b, full.id, { kind: 'react', emoji: ':f3:' }, 'changed'], // an emoji it has already
      [a, m2.id, { kind: 'delete', asAdmin: false }, 'changed'], // the owner moderates
      [b, m2.id, { kind: 'react', emoji: '👍' }, 'deleted'], // deleted by the change before it
      [a, crypto.randomUUID(), { kind: 'edit', body: 'x', mentions: NO_MENTIONS }, 'missing'],
      [outsider, m1.id, { kind: 'react', emoji: '👍' }, 'no_access'], // the service then answers 404 or 403
    ];
    let outcomes: ChangeOutcome[];
    try {
      // submitted in one tick, as a burst of requests arrives at a busy api
      outcomes = await Promise.all(burst.map(([userId, messageId, change]) => batcher.submit({ conversationId: group, messageId, userId, change })));
    } finally {
      Object.assign(repository, { applyBatch });
      Object.assign(afterCommit, { fanOut });
    }
    assert.deepEqual(outcomes.map((o) => o.outcome), burst.map(([, , , expected]) => expected));
    assert.equal(statements.reduce((n, k) => n + k, 0), burst.length);
    assert.ok(statements.length <= 3, `the first alone (a quiet server), the rest together: ${statements}`);
    assert.ok(enqueued.length <= statements.length, 'one enqueue per statement that changed anything');
    const changed = outcomes.flatMap((o) => (o.outcome === 'changed' ? [o.change] : []));
    assert.deepEqual(enqueued.flat().map(eventSeqOf).sort((x, y) => x - y), changed.map((x) => x.message.eventSeq).sort((x, y) => x - y));
    assert.deepEqual(changed.map((x) => x.message.eventSeq).sort((x, y) => x - y), [1, 2, 3, 4, 5, 6].map((k) => before + k), 'dense: one eventSeq per change');
    assert.equal((await t.prisma.conversation.findUniqueOrThrow({ where: { id: group } })).lastEventSeq, before + 6);
    const stored = async (id: string) => t.prisma.message.findUniqueOrThrow({ where: { id } });
    const m1Now = await stored(m1.id);
    assert.equal(m1Now.body, 'm1 edited');
    assert.deepEqual(m1Now.reactions, [{ emoji: '👍', userIds: [b] }]);
    assert.equal(m1Now.eventSeq, Math.max(...changed.filter((x) => x.message.id === m1.id).map((x) => x.message.eventSeq)));
    assert.equal((await stored(m2.id)).deletedAt !== null, true);
    const fullNow = (await stored(full.id)).reactions as Array<{ emoji: string; userIds: string[] }>;
    assert.equal(fullNow.length, 20);
    assert.deepEqual(fullNow.find((r) => r.emoji === ':f3:')?.userIds, [a, b]);
    const unchanged = outcomes[4];
    assert.ok(unchanged.outcome === 'unchanged' && unchanged.message.reactions.some((r) => r.emoji === '👍' && r.userIds.includes(c)), 'answered with the state it found');
    await eventually(async () => (await t.prisma.fanoutOutbox.count({ where: { conversationId: group } })) === 0, 'delivered or enqueued, so its outbox rows are cleared', 2_000);
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
