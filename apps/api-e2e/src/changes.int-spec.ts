import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TMessage, TMessagePage } from '@chatbox/contracts';
import { createTestApp, TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';
import { createGroup, people, person } from './support/chat-fixtures';

/** API.md "Changes": GET /api/conversations/:id/changes?after=&limit=. */
describe('the change stream: GET .../changes', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(ApiModule);
  });
  after(() => t.close());

  const send = async (conversationId: string, token: string, clientMsgId: string): Promise<TMessage> => {
    const res = await t.client.post(`/conversations/${conversationId}/messages`, { clientMsgId, body: clientMsgId }, token);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const changes = (conversationId: string, token: string, query = '') => t.client.get<TMessagePage>(`/conversations/${conversationId}/changes${query}`, token);

  test('new messages bump eventSeq with seq; changes after an eventSeq come ascending, paged by nextCursor', async () => {
    const [a, b] = await people(t, 2);
    const group = await createGroup(t, a, { memberIds: [b.id] });
    const sent: TMessage[] = [];
    for (let i = 0; i < 5; i++) sent.push(await send(group.id, i % 2 ? b.token : a.token, `c-${i}`));
    assert.deepEqual(sent.map((m) => m.eventSeq), [1, 2, 3, 4, 5]);
    const all = await changes(group.id, b.token);
    assert.equal(all.status, 200);
    assert.deepEqual(all.body, { items: sent, nextCursor: null, notices: [] });
    const later = await changes(group.id, b.token, '?after=3');
    assert.deepEqual(later.body.items.map((m) => m.eventSeq), [4, 5]);
    const first = await changes(group.id, b.token, '?after=0&limit=2');
    assert.deepEqual([first.body.items.map((m) => m.eventSeq), first.body.nextCursor], [[1, 2], '2']);
    const next = await changes(group.id, b.token, `?after=${first.body.nextCursor}&limit=2`);
    assert.deepEqual(next.body.items.map((m) => m.eventSeq), [3, 4]);
    assert.deepEqual((await changes(group.id, b.token, '?after=5')).body, { items: [], nextCursor: null, notices: [] });
    const listed = (await t.client.get('/conversations', b.token)).body.items.find((c: { id: string }) => c.id === group.id);
    assert.equal(listed.lastEventSeq, 5);
  });

  test('non-members: 404 for a private group, 403 for a public one; bad parameters: 400 naming them', async () => {
    const [owner, outsider] = await people(t, 2);
    const hidden = await createGroup(t, owner, { visibility: 'private' });
    const open = await createGroup(t, owner, { visibility: 'public' });
    await send(hidden.id, owner.token, 'secret');
    assert.equal((await changes(hidden.id, outsider.token)).status, 404);
    assert.equal((await changes(open.id, outsider.token)).status, 403);
    assert.equal((await changes('not-an-id', outsider.token)).status, 400, 'a malformed id is refused at the edge');
    for (const [query, field] of [['?after=-1', 'after'], ['?after=x', 'after'], ['?limit=0', 'limit'], ['?limit=101', 'limit']]) {
      const res = await changes(hidden.id, owner.token, query);
      assert.equal(res.status, 400, query);
      assert.ok((res.body as any).error.fields[field], `${query}: ${JSON.stringify(res.body)}`);
    }
    const lone = await person(t);
    assert.equal((await t.client.get(`/conversations/${hidden.id}/changes`)).status, 401);
    assert.equal((await changes(hidden.id, lone.token)).status, 404);
  });
});
