import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TReceiptEvent, TTypingEvent } from '@chatbox/contracts';
import { connectSocket, createTestApp, eventually, RecordingSocket, TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';
import { createGroup, people, Person } from './support/chat-fixtures';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** API.md "Read receipts and typing". */
describe('read receipts, PATCH /api/me and typing', () => {
  let t: TestApp;
  const sockets: RecordingSocket[] = [];
  before(async () => {
    t = await createTestApp(ApiModule);
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await t.close();
  });

  const listen = async (who: Person) => {
    const s = await connectSocket(t.baseUrl, who.token);
    sockets.push(s);
    const receipts: TReceiptEvent[] = [];
    const typing: TTypingEvent[] = [];
    s.socket.on('receipt', (e) => receipts.push(e));
    s.socket.on('typing', (e) => typing.push(e));
    return { s, receipts, typing };
  };
  const emit = <T>(s: RecordingSocket, event: 'typing' | 'read', payload: unknown): Promise<T> =>
    new Promise((resolve) => (s.socket.emit as any)(event, payload, resolve));
  const sendMany = async (conversationId: string, who: Person, n: number) => {
    for (let i = 0; i < n; i++) {
      assert.equal((await t.client.post(`/conversations/${conversationId}/messages`, { clientMsgId: `m-${conversationId}-${i}`, body: 'x' }, who.token)).status, 201);
    }
  };
  const read = (conversationId: string, who: Person, seq: number) => t.client.post(`/conversations/${conversationId}/read`, { seq }, who.token);

  test('GET receipts lists the read pointers of members who share them; PATCH /api/me turns sharing off and on', async () => {
    const [a, b, c, outsider] = await people(t, 4);
    const group = await createGroup(t, a, { memberIds: [b.id, c.id] });
    await sendMany(group.id, a, 3);
    await read(group.id, b, 2);
    const list = async (who = a) => (await t.client.get(`/conversations/${group.id}/receipts`, who.token)).body;
    assert.deepEqual(
      (await list()).items.sort((x: { userId: string }, y: { userId: string }) => x.userId.localeCompare(y.userId)),
      [{ userId: a.id, readSeq: 0 }, { userId: b.id, readSeq: 2 }, { userId: c.id, readSeq: 0 }].sort((x, y) => x.userId.localeCompare(y.userId)),
    );
    const off = await t.client.patch('/me', { shareReadReceipts: false }, b.token);
    assert.equal(off.status, 200);
    assert.deepEqual(Object.keys(off.body).sort(), ['deactivated', 'displayName', 'id', 'online', 'role', 'username']);
    assert.ok(!(await list()).items.some((r: { userId: string }) => r.userId === b.id), 'b no longer shares');
    assert.deepEqual((await t.client.get('/me/settings', b.token)).body, { shareReadReceipts: false }, 'GET /api/me/settings says so');
    assert.equal((await t.client.patch('/me', { shareReadReceipts: true }, b.token)).status, 200);
    assert.deepEqual((await t.client.get('/me/settings', b.token)).body, { shareReadReceipts: true });
    assert.equal((await t.client.get('/me/settings')).status, 401);
    assert.ok((await list()).items.some((r: { userId: string }) => r.userId === b.id));
    assert.equal((await t.client.get(`/conversations/${group.id}/receipts`, outsider.token)).status, 404);
    const open = await createGroup(t, a, { visibility: 'public' });
    assert.equal((await t.client.get(`/conversations/${open.id}/receipts`, outsider.token)).status, 403);
    assert.equal((await t.client.get(`/conversations/${group.id}/receipts`)).status, 401);
  });

  test('PATCH /api/me changes the display name; bad bodies are 400 naming the field and change nothing', async () => {
    const [a] = await people(t, 1);
    const res = await t.client.patch('/me', { displayName: '  Ada L. ' }, a.token);
    assert.equal(res.status, 200);
    assert.equal(res.body.displayName, 'Ada L.');
    assert.equal((await t.client.get('/me', a.token)).body.displayName, 'Ada L.');
    for (const [body, field] of [[{ displayName: '' }, 'displayName'], [{ displayName: 'x'.repeat(65) }, 'displayName'], [{ shareReadReceipts: 'yes' }, 'shareReadReceipts'], [{ role: 'admin' }, 'role']] as const) {
      const bad = await t.client.patch('/me', body, a.token);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.ok(bad.body.error.fields[field], JSON.stringify(bad.body));
    }
    assert.equal((await t.client.get('/me', a.token)).body.displayName, 'Ada L.');
    assert.equal((await t.client.patch('/me', { displayName: 'x' })).status, 401);
  });

  test('a moving read pointer reaches the members as `receipt`, at most once a second with the latest pointer; none from a user who does not share', async () => {
    const [a, b, c] = await people(t, 3);
    const group = await createGroup(t, a, { memberIds: [b.id, c.id] });
    await sendMany(group.id, a, 6);
    const watcher = await listen(a);
    const fromB = () => watcher.receipts.filter((r) => r.userId === b.id && r.conversationId === group.id);
    const started = Date.now();
    for (let seq = 1; seq <= 5; seq++) assert.equal((await read(group.id, b, seq)).status, 204);
    const readFor = Date.now() - started;
    await eventually(() => fromB().some((r) => r.readSeq === 5), 'the latest pointer');
    await pause(1_300);
    const seen = fromB();
    if (readFor < 900) assert.equal(seen.length, 2, `five moves within a second: the first and the latest: ${JSON.stringify(seen)}`);
    assert.equal(seen[0].readSeq, 1, 'the first at once');
    assert.equal(seen.at(-1)!.readSeq, 5, 'the last pointer arrives after the window');
    assert.equal((await t.client.patch('/me', { shareReadReceipts: false }, c.token)).status, 200);
    assert.equal((await read(group.id, c, 3)).status, 204);
    await pause(500);
    assert.equal(watcher.receipts.filter((r) => r.userId === c.id).length, 0);
  });

  test('typing reaches the other members with `until`, at most once every 2 s, never the typist; non-members and bad payloads get error acks', async () => {
    const [a, b, outsider] = await people(t, 3);
    const group = await createGroup(t, a, { memberIds: [b.id] });
    const [aTab, bTab, spy] = [await listen(a), await listen(b), await listen(outsider)];
    assert.deepEqual(await emit(aTab.s, 'typing', { conversationId: group.id }), { ok: true });
    await eventually(() => bTab.typing.length === 1, 'b hears a typing');
    const [event] = bTab.typing;
    assert.equal(event.userId, a.id);
    assert.equal(event.conversationId, group.id);
    const ahead = Date.parse(event.until) - Date.now();
    assert.ok(ahead > 3_000 && ahead <= 5_500, `until is about 5 s ahead: ${ahead} ms`);
    for (let i = 0; i < 3; i++) assert.deepEqual(await emit(aTab.s, 'typing', { conversationId: group.id }), { ok: true });
    await pause(300);
    assert.equal(bTab.typing.length, 1, 'throttled within 2 s');
    await pause(2_000);
    await emit(aTab.s, 'typing', { conversationId: group.id });
    await eventually(() => bTab.typing.length === 2, 'relayed again after 2 s');
    assert.equal(aTab.typing.length, 0, 'never to the typist');
    assert.equal((await emit<any>(spy.s, 'typing', { conversationId: group.id })).error?.code, 'not_found');
    const bad = await emit<any>(aTab.s, 'typing', { conversationId: 'nope' });
    assert.equal(bad.error?.code, 'validation_failed');
    assert.ok(bad.error.fields.conversationId);
    assert.equal(spy.typing.length, 0);
  });

  test('a sent message ends the typist\'s turn: typing the next one is relayed at once, not 2 s later', async () => {
    const [a, b] = await people(t, 2);
    const group = await createGroup(t, a, { memberIds: [b.id] });
    const bTab = await listen(b);
    const aTab = await listen(a);
    await emit(aTab.s, 'typing', { conversationId: group.id });
    await eventually(() => bTab.typing.length === 1, 'b hears the first typing');
    await sendMany(group.id, a, 1);
    await emit(aTab.s, 'typing', { conversationId: group.id });
    await eventually(() => bTab.typing.length === 2, 'the next message\'s typing is relayed within the window', 1_500);
  });
});
