import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { TConversation } from '@chatbox/contracts';
import { PresenceStore } from '@chatbox/server-presence';
import { createTestApp, TestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';
import { allConversationId, createGroup, people, person, Person } from './support/chat-fixtures';

describe('direct conversations and the conversation list', () => {
  let t: TestApp;
  before(async () => (t = await createTestApp(ApiModule)));
  after(() => t.close());

  test('both sides opening their direct chat at the same moment get one conversation', async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = await people(t, 2);
      const [fromA, fromB] = await Promise.all([
        t.client.post('/conversations/direct', { userId: b.id }, a.token),
        t.client.post('/conversations/direct', { userId: a.id }, b.token),
      ]);
      assert.deepEqual([fromA.status, fromB.status].sort(), [200, 201], 'exactly one call creates it');
      assert.equal(fromA.body.id, fromB.body.id);
      const key = [a.id, b.id].sort().join(':');
      assert.equal(await t.prisma.conversation.count({ where: { directKey: key } }), 1);
      const members = await t.prisma.membership.findMany({ where: { conversationId: fromA.body.id } });
      assert.deepEqual(members.map((m) => m.userId).sort(), [a.id, b.id].sort());
      const again = await t.client.post('/conversations/direct', { userId: b.id }, a.token);
      assert.equal(again.status, 200);
      assert.equal(again.body.id, fromA.body.id);
    }
  });

  test('opening a direct chat: 400 for yourself or a malformed id, 404 for an unknown user; nothing stored', async () => {
    const me = await person(t);
    const cases: Array<[unknown, number, string]> = [
      [{ userId: me.id }, 400, 'validation_failed'],
      [{ userId: 'nope' }, 400, 'validation_failed'],
      [{}, 400, 'validation_failed'],
      [{ userId: randomUUID() }, 404, 'not_found'],
    ];
    for (const [body, status, code] of cases) {
      const res = await t.client.post('/conversations/direct', body, me.token);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.error.code, code);
      if (status === 400) assert.ok(res.body.error.fields.userId);
    }
    assert.equal(await t.prisma.membership.count({ where: { userId: me.id, conversation: { kind: 'direct' } } }), 0);
  });

  test('GET /api/conversations: kinds, names, roles, counts, peer, unread fields, activity order', async () => {
    const me = await person(t);
    const peer = await person(t, { displayName: 'Peer Person' });
    const direct = (await t.client.post('/conversations/direct', { userId: peer.id }, me.token)).body as TConversation;
    const group = await createGroup(t, me, { name: 'my group', visibility: 'public', memberIds: [peer.id] });
    const presence = t.app.get(PresenceStore);
    await presence.socketConnected(peer.id);
    try {
      const res = await t.client.get('/conversations', me.token);
      assert.equal(res.status, 200);
      assert.equal(res.body.nextCursor, null);
      const items: TConversation[] = res.body.items;
      const byId = new Map(items.map((c) => [c.id, c]));
      assert.deepEqual(byId.get(direct.id), {
        id: direct.id,
        kind: 'direct',
        name: 'Peer Person',
        role: 'member',
        lastSeq: 0,
        readSeq: 0,
        unread: 0,
        lastMessage: null,
        memberCount: 2,
        lastEventSeq: 0,
        mentions: 0,
        notify: 'all',
        description: '',
        ephemeral: false,
        anonymousQuestions: false,
        peer: { id: peer.id, username: peer.user.username, displayName: 'Peer Person', online: true, role: 'member', deactivated: false },
      });
      assert.deepEqual(byId.get(group.id), {
        id: group.id,
        kind: 'group',
        name: 'my group',
        visibility: 'public',
        role: 'owner',
        lastSeq: 0,
        readSeq: 0,
        unread: 0,
        lastMessage: null,
        memberCount: 2,
        lastEventSeq: 0,
        mentions: 0,
        notify: 'all',
        description: '',
        ephemeral: false,
        anonymousQuestions: false,
      });
      const all = byId.get(await allConversationId(t));
      assert.equal(all?.kind, 'all');
      assert.equal(all?.name, 'all');
      assert.equal(all?.role, 'member');
      assert.equal(all?.visibility, undefined);
      assert.ok((all?.memberCount ?? 0) >= 2);
      assert.equal(items.length, 3);
      assert.ok(items.indexOf(byId.get(group.id)!) < items.indexOf(byId.get(direct.id)!), 'newest activity first');
    } finally {
      await presence.socketDisconnected(peer.id);
    }
  });

  test('lastMessage, lastSeq and unread come from the conversation and the caller\'s readSeq', async () => {
    const [me, peer] = await people(t, 2);
    const direct = (await t.client.post('/conversations/direct', { userId: peer.id }, me.token)).body as TConversation;
    const group = await createGroup(t, me, { name: 'older' });
    // messages arrive with the next issue; write two the way it will: rows plus lastSeq/lastActivityAt
    for (const seq of [1, 2]) {
      await t.prisma.message.create({
        data: { conversationId: direct.id, seq, eventSeq: seq, createdEventSeq: seq, senderId: peer.id, body: `hello ${seq}`, clientMsgId: randomUUID() },
      });
    }
    await t.prisma.conversation.update({ where: { id: direct.id }, data: { lastSeq: 2, lastEventSeq: 2, lastActivityAt: new Date() } });
    await t.prisma.membership.update({ where: { conversationId_userId: { conversationId: direct.id, userId: me.id } }, data: { readSeq: 1 } });

    const mine = (await t.client.get('/conversations', me.token)).body.items as TConversation[];
    assert.equal(mine[0].id, direct.id, 'the chat with a new message moves to the top');
    assert.equal(mine[1].id, group.id);
    assert.deepEqual([mine[0].lastSeq, mine[0].readSeq, mine[0].unread], [2, 1, 1]);
    assert.equal(mine[0].lastMessage?.seq, 2);
    assert.equal(mine[0].lastMessage?.body, 'hello 2');
    assert.deepEqual(mine[0].lastMessage?.sender, { id: peer.id, username: peer.user.username, displayName: peer.user.displayName });
    const theirs = (await t.client.get('/conversations', peer.token)).body.items as TConversation[];
    assert.equal(theirs.find((c) => c.id === direct.id)?.unread, 2);
  });

  test('newcomers start with the history read: joining `all`, a public group or being added counts only later messages as unread', async () => {
    const [owner, sender] = await people(t, 2);
    const all = await allConversationId(t);
    const group = await createGroup(t, owner, { visibility: 'public', memberIds: [sender.id] });
    const send = (conversationId: string, body: string) =>
      t.client.post(`/conversations/${conversationId}/messages`, { clientMsgId: randomUUID(), body }, sender.token);
    for (let i = 0; i < 3; i++) {
      assert.equal((await send(all, `welcome ${i}`)).status, 201);
      assert.equal((await send(group.id, `history ${i}`)).status, 201);
    }
    const [joiner, added] = await people(t, 2);
    assert.equal((await t.client.post(`/groups/${group.id}/join`, undefined, joiner.token)).status, 200);
    assert.equal((await t.client.post(`/groups/${group.id}/members`, { userIds: [added.id] }, owner.token)).status, 200);
    const view = async (who: Person, id: string) =>
      ((await t.client.get('/conversations', who.token)).body.items as TConversation[]).find((c) => c.id === id)!;
    for (const who of [joiner, added]) {
      const [inAll, inGroup] = [await view(who, all), await view(who, group.id)];
      assert.equal(inAll.unread, 0, 'the welcome messages of all are read');
      assert.equal(inAll.readSeq, inAll.lastSeq);
      assert.deepEqual([inGroup.unread, inGroup.readSeq, inGroup.lastSeq], [0, 3, 3]);
      // the history is still there to scroll
      const history = await t.client.get(`/conversations/${group.id}/messages`, who.token);
      assert.deepEqual(history.body.items.map((m: { body: string }) => m.body), ['history 0', 'history 1', 'history 2']);
    }
    assert.equal((await send(group.id, 'after they came')).status, 201);
    assert.equal((await view(joiner, group.id)).unread, 1);
    assert.equal((await view(added, group.id)).unread, 1);
  });

  test('the conversation list pages by cursor and leaves out archived groups', async () => {
    const me = await person(t);
    const groups = [];
    for (let i = 0; i < 3; i++) groups.push(await createGroup(t, me, { name: `g${i}` }));
    await t.client.delete(`/groups/${groups[1].id}/members/${me.id}`, me.token); // archives it
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 5; pages++) {
      const path: string = `/conversations?limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.client.get(path, me.token);
      assert.equal(res.status, 200);
      ids.push(...res.body.items.map((c: TConversation) => c.id));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    assert.deepEqual(ids.slice(0, 2), [groups[2].id, groups[0].id]);
    assert.equal(ids.length, 3, 'two live groups and all');
  });
});

describe('user search', () => {
  let t: TestApp;
  before(async () => (t = await createTestApp(ApiModule)));
  after(() => t.close());

  test('case-insensitive substring on username and display name: exact name, then prefixes, then the rest, by cursor', async () => {
    const tag = `zq${randomBytes(4).toString('hex')}`;
    const exact = await person(t, { username: tag.toUpperCase() });
    const a = await person(t, { username: `${tag}_a` });
    const b = await person(t, { username: `${tag}_b` });
    const byName = await person(t, { username: `m_${randomBytes(4).toString('hex')}`, displayName: `${tag.toUpperCase()} Smith` });
    const inside = await person(t, { username: `x_${tag}` });
    const inside2 = await person(t, { username: `y${tag}z`, displayName: 'Someone' });
    await person(t, { username: `zq_${randomBytes(4).toString('hex')}`, displayName: 'not a match' });
    // within the prefix and the substring groups, rows come in id order
    const byId = (people: Array<{ id: string }>) => people.map((p) => p.id).sort();
    const expected = [exact.id, ...byId([a, b, byName]), ...byId([inside, inside2])];

    const all = await t.client.get(`/users?q=${tag.toUpperCase()}`, a.token);
    assert.equal(all.status, 200);
    assert.deepEqual(all.body.items.map((u: { id: string }) => u.id), expected);
    assert.deepEqual(all.body.items[0], { id: exact.id, username: exact.user.username, displayName: exact.user.displayName, online: false, role: 'member', deactivated: false });

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const path: string = `/users?q=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.client.get(path, a.token);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      seen.push(...res.body.items.map((u: { id: string }) => u.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(seen, expected);
  });

  test('short queries (no trigram index) keep the same rules across pages', async () => {
    const me = await person(t);
    await person(t, { username: `q7${randomBytes(3).toString('hex')}` });
    await person(t, { username: `x_q7${randomBytes(3).toString('hex')}` });
    await person(t, { username: `nq_${randomBytes(3).toString('hex')}`, displayName: 'Q7 Someone' });
    for (const q of ['q7', 'Q', '_']) {
      const rows: Array<{ id: string; username: string; displayName: string }> = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 50; pages++) {
        const path: string = `/users?q=${encodeURIComponent(q)}&limit=7${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await t.client.get(path, me.token);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        rows.push(...res.body.items);
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      const k = q.toLowerCase();
      const phase = (u: { username: string; displayName: string }) => {
        const name = u.username.toLowerCase();
        const display = u.displayName.toLowerCase();
        if (name === k) return 0;
        if (name.startsWith(k) || display.startsWith(k)) return 1;
        assert.ok(name.includes(k) || display.includes(k), `${u.username} does not match ${q}`);
        return 2;
      };
      assert.ok(rows.length >= 1, `q=${q} finds someone`);
      assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, 'no user twice across pages');
      for (let i = 1; i < rows.length; i++) {
        const [a, b] = [rows[i - 1], rows[i]];
        assert.ok(phase(a) < phase(b) || (phase(a) === phase(b) && a.id < b.id), `q=${q}: ${a.username} before ${b.username}`);
      }
    }
  });

  test('wildcards are literal, bad limits and cursors are 400 naming the field', async () => {
    const me = await person(t);
    const none = await t.client.get(`/users?q=${encodeURIComponent('%_%')}`, me.token);
    assert.equal(none.status, 200);
    assert.deepEqual(none.body.items, []);
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['cursor=garbage', 'cursor'],
      [`q=${'q'.repeat(65)}`, 'q'],
    ]) {
      const res = await t.client.get(`/users?${query}`, me.token);
      assert.equal(res.status, 400, query);
      assert.ok(res.body.error.fields[field], `${query}: ${JSON.stringify(res.body.error)}`);
    }
  });

  test('online users come from presence', async () => {
    const [me, on] = await people(t, 2);
    const presence = t.app.get(PresenceStore);
    await presence.socketConnected(on.id);
    try {
      const res = await t.client.get('/users/online?limit=100', me.token);
      assert.equal(res.status, 200);
      const found = res.body.items.find((u: { id: string }) => u.id === on.id);
      assert.deepEqual(found, { id: on.id, username: on.user.username, displayName: on.user.displayName, online: true, role: 'member', deactivated: false });
      assert.ok(!res.body.items.some((u: { id: string }) => u.id === me.id));
      const search = await t.client.get(`/users?q=${on.user.username}`, me.token);
      assert.equal(search.body.items[0].online, true);
    } finally {
      await presence.socketDisconnected(on.id);
    }
  });
});
