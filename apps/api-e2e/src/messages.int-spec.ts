import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TMessage } from '@chatbox/contracts';
import { createGroup, createTestApp, eventually, TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';

describe('messages over REST', () => {
  let t: TestApp;
  before(async () => (t = await createTestApp(ApiModule)));
  after(() => t.close());

  const send = (conversationId: string, token: string, body: unknown) => t.client.post<TMessage>(`/conversations/${conversationId}/messages`, body, token);
  const lastSeq = async (id: string) => (await t.prisma.conversation.findUniqueOrThrow({ where: { id } })).lastSeq;

  async function groupOf(n: number) {
    const users = await Promise.all(Array.from({ length: n }, () => t.client.registerUser()));
    const id = await createGroup(t.prisma, users[0].user.id, users.map((u) => u.user.id));
    return { id, users };
  }

  test('a member sends: 201 with the committed message, seq 1, blank lines at the ends trimmed, indentation kept', async () => {
    const { id, users } = await groupOf(2);
    const res = await send(id, users[1].accessToken, { clientMsgId: 'c1', body: '\n \n  if (x) {\n    y();\n  }  \n\n' });
    assert.equal(res.status, 201);
    assert.equal(res.body.seq, 1);
    assert.equal(res.body.body, '  if (x) {\n    y();\n  }');
    assert.equal(res.body.conversationId, id);
    assert.deepEqual(res.body.sender, { id: users[1].user.id, username: users[1].user.username, displayName: users[1].user.displayName });
    assert.equal(await lastSeq(id), 1);
    // the api delivered it (or enqueued its job) and clears the outbox row, with the others of its window
    const outboxRows = () => t.prisma.fanoutOutbox.count({ where: { conversationId: res.body.conversationId, eventSeq: res.body.eventSeq } });
    await eventually(async () => (await outboxRows()) === 0, 'the outbox row cleared', 2_000);
  });

  test('a retry with the same clientMsgId answers 200 with the stored message and stores nothing', async () => {
    const { id, users } = await groupOf(1);
    const first = await send(id, users[0].accessToken, { clientMsgId: 'retry', body: 'once' });
    const again = await send(id, users[0].accessToken, { clientMsgId: 'retry', body: 'different text' });
    assert.equal(first.status, 201);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    assert.equal(await t.prisma.message.count({ where: { conversationId: id } }), 1);
    assert.equal(await lastSeq(id), 1);
  });

  test('the same clientMsgId in another conversation is a 409 naming clientMsgId', async () => {
    const a = await groupOf(1);
    const b = await createGroup(t.prisma, a.users[0].user.id);
    assert.equal((await send(a.id, a.users[0].accessToken, { clientMsgId: 'x', body: 'a' })).status, 201);
    const res = await send(b, a.users[0].accessToken, { clientMsgId: 'x', body: 'b' });
    assert.equal(res.status, 409);
    assert.equal((res.body as any).error.code, 'conflict');
    assert.ok((res.body as any).error.fields.clientMsgId);
    assert.equal(await lastSeq(b), 0);
  });

  test('20 concurrent senders x 50 messages give seq 1..1000, no gap, no duplicate, each sender in order', async () => {
    const { id, users } = await groupOf(20);
    const started = Date.now();
    const answers = await Promise.all(
      users.map(async (u, s) => {
        const mine: number[] = [];
        for (let i = 0; i < 50; i++) {
          const res = await send(id, u.accessToken, { clientMsgId: `s${s}-m${i}`, body: `sender ${s} message ${i}` });
          assert.equal(res.status, 201, JSON.stringify(res.body));
          mine.push(res.body.seq);
        }
        return mine;
      }),
    );
    console.log(`# 1,000 sends from 20 concurrent senders into one conversation: ${Date.now() - started} ms`);
    for (const mine of answers) assert.deepEqual(mine, [...mine].sort((x, y) => x - y));
    const seqs = answers.flat().sort((x, y) => x - y);
    assert.deepEqual(seqs, Array.from({ length: 1000 }, (_, i) => i + 1));
    const rows = await t.prisma.message.findMany({ where: { conversationId: id }, select: { seq: true }, orderBy: { seq: 'asc' } });
    assert.deepEqual(rows.map((r) => r.seq), seqs);
    assert.equal(await lastSeq(id), 1000);
  });

  test('the same clientMsgId sent three times at once stores one message and gives three identical answers', async () => {
    const { id, users } = await groupOf(1);
    await send(id, users[0].accessToken, { clientMsgId: 'before', body: 'seq 1' });
    const clientMsgId = randomUUID();
    const answers = await Promise.all([1, 2, 3].map(() => send(id, users[0].accessToken, { clientMsgId, body: 'dup' })));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 201]);
    assert.deepEqual(answers[1].body, answers[0].body);
    assert.deepEqual(answers[2].body, answers[0].body);
    assert.equal(answers[0].body.seq, 2);
    assert.equal(await t.prisma.message.count({ where: { senderId: users[0].user.id, clientMsgId } }), 1);
    // the losers rolled back: the next message takes seq 3, no gap
    assert.equal((await send(id, users[0].accessToken, { clientMsgId: 'after', body: 'seq 3' })).body.seq, 3);
  });

  const badBodies: Array<[string, unknown, string]> = [
    ['an empty body', { clientMsgId: 'b1', body: '   ' }, 'body'],
    ['a body over 4000 characters', { clientMsgId: 'b2', body: 'x'.repeat(4001) }, 'body'],
    ['a body that is not a string', { clientMsgId: 'b3', body: 42 }, 'body'],
    ['no clientMsgId', { body: 'hi' }, 'clientMsgId'],
    ['a clientMsgId over 64 characters', { clientMsgId: 'c'.repeat(65), body: 'hi' }, 'clientMsgId'],
  ];
  for (const [name, body, field] of badBodies) {
    test(`${name} is a 400 naming "${field}" and stores nothing`, async () => {
      const { id, users } = await groupOf(1);
      const res = await send(id, users[0].accessToken, body);
      assert.equal(res.status, 400);
      assert.equal((res.body as any).error.code, 'validation_failed');
      assert.ok((res.body as any).error.fields[field], JSON.stringify(res.body));
      assert.equal(await t.prisma.message.count({ where: { conversationId: id } }), 0);
      assert.equal(await lastSeq(id), 0);
    });
  }

  test('sends arriving together are stored together yet answered one by one: stored, replayed, refused', async () => {
    const a = await groupOf(3);
    const b = await groupOf(2);
    const outsider = await t.client.registerUser();
    const pub = await t.client.post<{ id: string }>('/groups', { name: 'open', visibility: 'public' }, b.users[0].accessToken);
    const archived = await createGroup(t.prisma, a.users[0].user.id);
    await t.prisma.conversation.update({ where: { id: archived }, data: { archivedAt: new Date() } });
    const earlier = await send(a.id, a.users[0].accessToken, { clientMsgId: 'earlier', body: 'first' });

    const burst = await Promise.all([
      ...a.users.flatMap((u, i) => [send(a.id, u.accessToken, { clientMsgId: `a${i}x`, body: 'x' }), send(a.id, u.accessToken, { clientMsgId: `a${i}y`, body: 'y' })]),
      ...b.users.map((u, i) => send(b.id, u.accessToken, { clientMsgId: `b${i}`, body: 'b' })),
      send(a.id, a.users[0].accessToken, { clientMsgId: 'earlier', body: 'again' }),
      send(a.id, outsider.accessToken, { clientMsgId: 'o1', body: 'private' }),
      send(pub.body.id, outsider.accessToken, { clientMsgId: 'o2', body: 'public' }),
      send(archived, a.users[0].accessToken, { clientMsgId: 'gone', body: 'archived' }),
      send('00000000-0000-4000-8000-000000000000', a.users[0].accessToken, { clientMsgId: 'nowhere', body: 'none' }),
    ]);
    const statuses = burst.map((r) => r.status);
    assert.deepEqual(statuses, [201, 201, 201, 201, 201, 201, 201, 201, 200, 404, 403, 404, 404]);
    assert.equal(burst[8].body.id, earlier.body.id, 'the replay answers the stored message');
    assert.equal((burst[10].body as unknown as { error: { code: string } }).error.code, 'forbidden');

    const seqs = async (id: string) => (await t.prisma.message.findMany({ where: { conversationId: id }, orderBy: { seq: 'asc' } })).map((m) => m.seq);
    assert.deepEqual(await seqs(a.id), [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(await seqs(b.id), [1, 2]);
    assert.deepEqual(await seqs(pub.body.id), []);
    assert.deepEqual(await seqs(archived), []);
    assert.equal(await t.prisma.message.count({ where: { senderId: outsider.user.id } }), 0);
    assert.equal(await lastSeq(a.id), 7);
    for (const u of a.users) {
      const mine = await t.prisma.message.findMany({ where: { conversationId: a.id, senderId: u.user.id, clientMsgId: { not: 'earlier' } } });
      assert.deepEqual(mine.map((m) => m.body).sort(), ['x', 'y'], 'each send stored once');
    }
  });

  test('4000 characters after trimming are accepted', async () => {
    const { id, users } = await groupOf(1);
    const res = await send(id, users[0].accessToken, { clientMsgId: 'max', body: `\n${'y'.repeat(4000)} \n` });
    assert.equal(res.status, 201);
    assert.equal(res.body.body.length, 4000);
  });

  test('a non-member gets 404 for a private group and learns nothing; no token is 401', async () => {
    const { id } = await groupOf(1);
    const outsider = await t.client.registerUser();
    const res = await send(id, outsider.accessToken, { clientMsgId: 'n', body: 'hi' });
    assert.equal(res.status, 404);
    assert.equal((await t.client.get(`/conversations/${id}/messages`, outsider.accessToken)).status, 404);
    assert.equal((await t.client.post(`/conversations/${id}/read`, { seq: 1 }, outsider.accessToken)).status, 404);
    assert.equal((await send(id, undefined as unknown as string, { clientMsgId: 'n', body: 'hi' })).status, 401);
    assert.equal((await send('not-a-uuid', outsider.accessToken, { clientMsgId: 'n', body: 'hi' })).status, 400); // names no conversation: "id must be an id"
    assert.equal(await t.prisma.message.count({ where: { conversationId: id } }), 0);
  });

  test('history: the newest page by default, before pages back, after catches up, all ascending', async () => {
    const { id, users } = await groupOf(1);
    for (let i = 1; i <= 12; i++) await send(id, users[0].accessToken, { clientMsgId: `h${i}`, body: `m${i}` });
    const seqs = (r: { body: { items: TMessage[]; nextCursor: null } }) => r.body.items.map((m) => m.seq);
    const get = (q: string) => t.client.get(`/conversations/${id}/messages${q}`, users[0].accessToken);
    const newest = await get('?limit=5');
    assert.equal(newest.status, 200);
    assert.deepEqual(seqs(newest), [8, 9, 10, 11, 12]);
    assert.equal(newest.body.nextCursor, null);
    assert.deepEqual(seqs(await get('?before=8&limit=5')), [3, 4, 5, 6, 7]);
    assert.deepEqual(seqs(await get('?before=3&limit=5')), [1, 2]);
    assert.deepEqual(seqs(await get('?after=9')), [10, 11, 12]);
    assert.deepEqual(seqs(await get('?after=0&limit=3')), [1, 2, 3]);
    assert.deepEqual(seqs(await get('')), Array.from({ length: 12 }, (_, i) => i + 1));
    const both = await get('?before=5&after=2');
    assert.equal(both.status, 400);
    assert.ok(both.body.error.fields.before);
    const tooMany = await get('?limit=101');
    assert.equal(tooMany.status, 400);
    assert.ok(tooMany.body.error.fields.limit);
    assert.equal((await get('?after=-1')).status, 400);
  });

  test('history answers members only, with no message in any refusal: 403 on a public group, 404 when archived, unknown or malformed', async () => {
    const { id, users } = await groupOf(2);
    await send(id, users[0].accessToken, { clientMsgId: 'secret', body: 'members only' });
    const outsider = await t.client.registerUser();
    const get = (conversationId: string, token: string) => t.client.get(`/conversations/${conversationId}/messages`, token);
    assert.deepEqual((await get(id, users[1].accessToken)).body.items.map((m: TMessage) => m.body), ['members only']);
    const empty = await groupOf(1);
    assert.deepEqual((await get(empty.id, empty.users[0].accessToken)).body, { items: [], nextCursor: null, notices: [] });

    await t.prisma.conversation.update({ where: { id }, data: { visibility: 'public' } });
    const publicRefusal = await get(id, outsider.accessToken);
    assert.equal(publicRefusal.status, 403);
    assert.equal(publicRefusal.body.error.code, 'forbidden');
    await t.prisma.conversation.update({ where: { id }, data: { archivedAt: new Date() } });
    const refusals = [await get(id, users[1].accessToken), await get(id, outsider.accessToken), await get(randomUUID(), users[1].accessToken), await get(id.toUpperCase(), users[1].accessToken)];
    for (const res of refusals) {
      assert.equal(res.status, 404, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'not_found');
    }
    assert.doesNotMatch(JSON.stringify([publicRefusal.body, ...refusals.map((r) => r.body)]), /members only/);
  });

  test('the read pointer only moves forward and never past the newest message', async () => {
    const { id, users } = await groupOf(2);
    for (let i = 1; i <= 5; i++) await send(id, users[0].accessToken, { clientMsgId: `r${i}`, body: `m${i}` });
    const readSeq = async () =>
      (await t.prisma.membership.findUniqueOrThrow({ where: { conversationId_userId: { conversationId: id, userId: users[1].user.id } } })).readSeq;
    const read = (seq: unknown) => t.client.post(`/conversations/${id}/read`, { seq }, users[1].accessToken);
    assert.equal((await read(3)).status, 204);
    assert.equal(await readSeq(), 3);
    assert.equal((await read(1)).status, 204);
    assert.equal(await readSeq(), 3);
    assert.equal((await read(99)).status, 204);
    assert.equal(await readSeq(), 5);
    const bad = await read('x');
    assert.equal(bad.status, 400);
    assert.ok(bad.body.error.fields.seq);
    const huge = await read(2 ** 31);
    assert.equal(huge.status, 400);
    assert.match(huge.body.error.fields.seq, /at most 2147483647/);
    assert.equal(await readSeq(), 5);
  });

  test('a seq past what storage can hold is a 400 naming the parameter, not a server error', async () => {
    const { id, users } = await groupOf(1);
    for (const param of ['before', 'after']) {
      const res = await t.client.get(`/conversations/${id}/messages?${param}=${2 ** 31}`, users[0].accessToken);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.match(res.body.error.fields[param], /at most 2147483647/);
    }
    const edge = await t.client.get(`/conversations/${id}/messages?before=${2 ** 31 - 1}`, users[0].accessToken);
    assert.equal(edge.status, 200);
  });
});
