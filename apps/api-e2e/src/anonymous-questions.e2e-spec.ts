import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { ANONYMOUS_SENDER, EXPORT_FILES, type TAuthResponse, type TConversation, type TMessage, type TSendAck } from '@chatbox/contracts';
import { connectSocket, eventually, RecordingSocket, unzipText, uniqueUsername } from '@chatbox/server-testing';
import { ApiProcess, Cluster } from './support/cluster';

type Who = TAuthResponse & { id: string; token: string };

/**
 * Events about accounts and memberships, which name users whatever they wrote: who is online,
 * who signed up, who joined or was added (every member knows who the members are; anonymity
 * hides which of them asked). History answers carry the same membership notices (`notices`).
 */
const ACCOUNT_EVENTS = new Set(['presence', 'presence:batch', 'user', 'notice']);
const withoutNotices = (body: unknown): unknown => (body && typeof body === 'object' && 'notices' in body ? { ...body, notices: '(membership)' } : body);

/** The next `conversation` event about this conversation that passes `check`. */
const nextConversationEvent = (s: RecordingSocket, id: string, check: (c: TConversation) => boolean) =>
  new Promise<TConversation>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no conversation event')), 10_000);
    s.socket.on('conversation', (e) => {
      if (e.conversation.id === id && check(e.conversation)) {
        clearTimeout(timer);
        resolve(e.conversation);
      }
    });
  });

/** A send limit small enough to reach in a test (per user; anonymous sends count against their author). */
const SEND_LIMIT = 12;

/**
 * API.md "Groups, version 2": anonymous questions and PATCH /api/groups/:id. A real api and
 * worker process (LOG_LEVEL verbose, their JSON log lines and any other output captured): no
 * answer, socket event, search result, export or log line that others get names the author.
 */
describe('anonymous questions', () => {
  const cluster = new Cluster();
  const sockets: RecordingSocket[] = [];
  /** Every line the api and the worker wrote, stdout and stderr. */
  const logs: string[] = [];
  /** The JSON of every answer and socket event that anyone but the author received. */
  const seenByOthers: string[] = [];
  let api: ApiProcess;
  let db: Client;
  let admin: Who;

  const capture = (proc: { child: { stdout: NodeJS.ReadableStream | null; stderr: NodeJS.ReadableStream | null } }) => {
    for (const stream of [proc.child.stdout, proc.child.stderr]) {
      // the cluster echoes each line to the test's output: at verbose level that is every request
      stream?.removeAllListeners('data');
      stream?.on('data', (chunk: Buffer | string) => logs.push(...String(chunk).split('\n').filter(Boolean)));
    }
  };

  before(async () => {
    await cluster.prepare();
    const env = { LOG_LEVEL: 'verbose', RATE_LIMIT_SEND_USER: `${SEND_LIMIT}/600` };
    api = await cluster.startApi('api-anon', env, { quiet: false });
    capture(api.proc);
    capture(cluster.startWorker('worker-anon', env, { quiet: false }));
    await cluster.waitForWorkers(1);
    db = new Client({ connectionString: cluster.databaseUrl });
    await db.connect();
    admin = await register('admin'); // the first user of this database is an admin
    assert.equal(admin.user.role, 'admin');
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    await db?.end();
    await cluster.stopAll();
  });

  async function register(prefix: string): Promise<Who> {
    const username = uniqueUsername(prefix);
    const r = await api.client.registerUser({ username, displayName: `${prefix} ${username.slice(-4)}` });
    return { ...r, id: r.user.id, token: r.accessToken };
  }
  /** A request whose answer is recorded as seen by `who` (unless it is the author's own). */
  async function call<T = any>(who: Who, method: string, path: string, body?: unknown, { own = false } = {}) {
    const res = await api.client.request<T>(method, path, { token: who.token, body });
    if (!own) seenByOthers.push(JSON.stringify(withoutNotices(res.body) ?? null));
    return res;
  }
  async function listen(who: Who): Promise<RecordingSocket> {
    const s = await connectSocket(api.baseUrl, who.token);
    // everything but who is online and who signed up (about accounts, not about who wrote what)
    s.socket.onAny((event: string, payload: unknown) => {
      if (!ACCOUNT_EVENTS.has(event)) seenByOthers.push(JSON.stringify({ event, payload }));
    });
    sockets.push(s);
    return s;
  }
  const send = (who: Who, conversationId: string, body: string, extra: Record<string, unknown> = {}, own = true) =>
    call<TMessage>(who, 'POST', `/conversations/${conversationId}/messages`, { clientMsgId: crypto.randomUUID(), body, ...extra }, { own });
  const exportOf = async (who: Who, conversationId: string): Promise<string> => {
    const res = await fetch(`${api.baseUrl}/api/me/export`, { headers: { authorization: `Bearer ${who.token}` } });
    assert.equal(res.status, 200);
    const file = (await unzipText(Buffer.from(await res.arrayBuffer()))).get(EXPORT_FILES.conversation(conversationId));
    assert.ok(file, 'the group is exported');
    return file;
  };
  /**
   * Nothing of `author` in what others saw, nor in the log lines from `logsFrom` on (what the
   * author did under their name before, such as creating a group, is logged as usual).
   */
  const assertNothingNames = (author: Who, logsFrom: number) => {
    const needles = [author.id, author.user.username, author.user.displayName];
    for (const [where, texts] of [['answers and events to others', seenByOthers], ['api and worker logs', logs.slice(logsFrom)]] as const) {
      for (const needle of needles) {
        const hit = texts.find((text) => text.toLowerCase().includes(needle.toLowerCase()));
        assert.equal(hit, undefined, `${where} name the author (${needle}): ${hit}`);
      }
    }
  };

  test('the owner turns them on; members ask, edit and delete; nobody learns who asked', async () => {
    const [owner, author, member] = [await register('owner'), await register('author'), await register('member')];
    const created = await call<TConversation>(owner, 'POST', '/groups', { name: 'Physics 101', memberIds: [author.id, member.id, admin.id], description: 'Questions about the course' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual([created.body.description, created.body.anonymousQuestions], ['Questions about the course', false]);
    const group = created.body.id;
    const [ownerTab, memberTab, adminTab, authorTab] = [await listen(owner), await listen(member), await listen(admin), await connectSocket(api.baseUrl, author.token)];
    sockets.push(authorTab);
    // a group of the author's own, with a named message (search by from= below)
    const notes = (await call<TConversation>(author, 'POST', '/groups', { name: 'my notes' }, { own: true })).body;
    await send(author, notes.id, 'exam notes, named');
    const logsFrom = logs.length;

    // off: refused, naming why, nothing stored
    const refused = await send(author, group, 'Can I ask without my name?', { anonymous: true });
    assert.equal(refused.status, 400);
    assert.match((refused.body as any).error.fields.anonymous, /does not take anonymous questions/);
    assert.equal((await db.query('SELECT count(*)::int AS n FROM "Message" WHERE "conversationId" = $1', [group])).rows[0].n, 0, 'nothing stored');
    assert.equal((await send(author, group, 'x', { anonymous: 'yes' })).status, 400, 'anonymous must be a boolean');

    // the owner turns them on: every member is told
    const told = nextConversationEvent(memberTab, group, (c) => c.anonymousQuestions);
    const on = await call<TConversation>(owner, 'PATCH', `/groups/${group}`, { anonymousQuestions: true });
    assert.equal(on.status, 200, JSON.stringify(on.body));
    assert.equal(on.body.anonymousQuestions, true);
    await told;

    // REST and socket sends, a mention inside, retries of either kind answered with the stored one
    const question = await send(author, group, `Is the exam open book, @${member.user.username}?`, { anonymous: true });
    assert.equal(question.status, 201, JSON.stringify(question.body));
    assert.equal(question.body.anonymous, true);
    assert.deepEqual(question.body.sender, ANONYMOUS_SENDER);
    assert.deepEqual(question.body.mentions.userIds, [member.id], 'a mention inside an anonymous message works');
    const retried = await call<TMessage>(author, 'POST', `/conversations/${group}/messages`, { clientMsgId: question.body.clientMsgId, body: 'again', anonymous: true }, { own: true });
    assert.deepEqual([retried.status, retried.body.id], [200, question.body.id]);
    const retriedNamed = await call<TMessage>(author, 'POST', `/conversations/${group}/messages`, { clientMsgId: question.body.clientMsgId, body: 'again' }, { own: true });
    assert.deepEqual([retriedNamed.status, retriedNamed.body.id, retriedNamed.body.anonymous], [200, question.body.id, true], 'a retry without the flag does not store a named copy');
    const ack = await new Promise<TSendAck>((resolve) =>
      authorTab.socket.emit('message:send', { conversationId: group, clientMsgId: crypto.randomUUID(), body: 'What is on the syllabus?', anonymous: true }, resolve),
    );
    assert.ok('message' in ack && ack.message.anonymous, JSON.stringify(ack));
    const second = (ack as { message: TMessage }).message;
    await eventually(() => [ownerTab, memberTab, adminTab].every((s) => s.messages.some((m) => m.id === second.id)), 'the members receive both');
    assert.ok(memberTab.messages.filter((m) => m.conversationId === group).every((m) => m.anonymous && m.sender.id === 'anonymous'));

    // replies and reactions are normal
    const reply = await send(member, group, 'Yes, one page of notes.', { threadRootId: question.body.id }, false);
    assert.equal(reply.status, 201);
    assert.equal((await call(owner, 'PUT', `/conversations/${group}/messages/${question.body.id}/reactions/${encodeURIComponent('👍')}`)).status, 204);

    // only the author edits (recognised without a sender), owner and admin included
    for (const other of [member, owner, admin]) {
      const edit = await call(other, 'PATCH', `/conversations/${group}/messages/${question.body.id}`, { body: 'hijacked' });
      assert.equal(edit.status, 403, `${other.user.username} may not edit it`);
    }
    const edited = await call<TMessage>(author, 'PATCH', `/conversations/${group}/messages/${question.body.id}`, { body: `Is the exam open book, @${member.user.username}? (edited)` }, { own: true });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.ok(edited.body.editedAt && edited.body.anonymous && edited.body.sender.id === 'anonymous');
    await eventually(() => memberTab.events.get('message:updated') !== undefined, 'the edit reaches the members');

    // a member cannot delete it; the owner, an admin and the author can
    const [third, fourth] = [await send(author, group, 'Third question', { anonymous: true }), await send(author, group, 'Fourth question', { anonymous: true })];
    assert.equal((await call(member, 'DELETE', `/conversations/${group}/messages/${third.body.id}`)).status, 403);
    assert.equal((await call(owner, 'DELETE', `/conversations/${group}/messages/${second.id}`)).status, 204, 'the owner deletes');
    assert.equal((await call(admin, 'DELETE', `/conversations/${group}/messages/${third.body.id}`)).status, 204, 'an admin deletes');
    assert.equal((await call(author, 'DELETE', `/conversations/${group}/messages/${fourth.body.id}`, undefined, { own: true })).status, 204, 'the author deletes');
    const audit = await db.query(`SELECT "targetUserId" FROM "AuditLog" WHERE "action" = 'message.delete' AND "details"->>'messageId' = $1`, [third.body.id]);
    assert.deepEqual(audit.rows, [{ targetUserId: null }], 'the admin deletion is audited without an author');

    // what others read: history, changes, the list, search (also from= the author), exports
    for (const who of [owner, member, admin]) {
      const history = (await call<{ items: TMessage[] }>(who, 'GET', `/conversations/${group}/messages`)).body.items;
      assert.ok(history.some((m) => m.id === question.body.id && m.anonymous));
      await call(who, 'GET', `/conversations/${group}/changes?after=0`);
      await call(who, 'GET', '/conversations?limit=100');
      await call(who, 'GET', `/conversations/${group}/messages?thread=${question.body.id}`);
      const found = (await call<{ items: Array<{ message: TMessage }> }>(who, 'GET', `/search/messages?q=exam`)).body.items;
      assert.ok(found.some((h) => h.message.id === question.body.id && h.message.anonymous), 'search finds it, anonymous');
      const fromAuthor = await call<{ items: unknown[] }>(who, 'GET', `/search/messages?q=exam&from=${author.id}`);
      assert.deepEqual(fromAuthor.body.items, [], 'filtering on its author does not find it');
      seenByOthers.push(await exportOf(who, group));
    }
    const mentioned = (await call<{ items: TConversation[] }>(member, 'GET', '/conversations?limit=100')).body.items.find((c) => c.id === group);
    assert.ok(mentioned && mentioned.mentions >= 1, 'the mention counts for the member');

    // unread, nobody having read anything: the author's own four questions are not unread for
    // them (only the member's reply is), though their read pointer never moved (no receipt tells)
    const viewOf = async (who: Who, own = false) =>
      (await call<{ items: TConversation[] }>(who, 'GET', '/conversations?limit=100', undefined, { own })).body.items.find((c) => c.id === group);
    assert.deepEqual([(await viewOf(author, true))?.unread, (await viewOf(author, true))?.readSeq], [1, 0]);
    assert.equal((await viewOf(owner))?.unread, 5, 'everyone else counts all five');

    // the author's own search by from= finds their named messages only; their export keeps it anonymous
    const ownSearch = (await call<{ items: Array<{ message: TMessage }> }>(author, 'GET', `/search/messages?q=exam&from=${author.id}`, undefined, { own: true })).body.items;
    assert.deepEqual(ownSearch.map((h) => h.message.conversationId), [notes.id]);
    const ownExport = await exportOf(author, group);
    assert.ok(ownExport.includes(question.body.id) && !ownExport.includes(author.id), "the author's export has it as anonymous, like everyone's");

    // stored: no sender, only a hash that names nobody
    const stored = await db.query(`SELECT "senderId", "authorHash" FROM "Message" WHERE "conversationId" = $1 AND "senderId" IS NULL`, [group]);
    assert.equal(stored.rows.length, 4);
    for (const row of stored.rows) assert.match(row.authorHash, /^[0-9a-f]{64}$/);

    // the scan: positive control first (the logs are captured and at verbose level)
    assert.ok(logs.some((line) => line.includes(author.id)), 'the logs name the author where they acted under their name');
    assert.ok(logs.slice(logsFrom).some((line) => line.includes(`/api/conversations/${group}/messages`)), 'verbose request lines are captured');
    assert.ok(seenByOthers.some((text) => text.includes(member.id)), 'answers to others are recorded');
    assertNothingNames(author, logsFrom);
  });

  test('anonymous sends count against their author\'s send limit', async () => {
    const [owner, asker, other] = [await register('owner'), await register('asker'), await register('other')];
    const group = (await call<TConversation>(owner, 'POST', '/groups', { name: 'limits', memberIds: [asker.id, other.id], anonymousQuestions: true })).body;
    const logsFrom = logs.length;
    assert.equal(group.anonymousQuestions, true, 'set at creation');
    for (let i = 0; i < SEND_LIMIT; i++) assert.equal((await send(asker, group.id, `q${i}`, { anonymous: true })).status, 201);
    const over = await send(asker, group.id, 'one more', { anonymous: true });
    assert.equal(over.status, 429, JSON.stringify(over.body));
    assert.equal((await send(asker, group.id, 'named, also over')).status, 429, 'the same limit, whatever the kind');
    assert.equal((await send(other, group.id, 'another member is not limited', { anonymous: true })).status, 201);
    assertNothingNames(asker, logsFrom);
  });

  test('with files, and in a vanishing room: nobody learns who asked (answers, events, search, files, logs)', async () => {
    const [owner, author, member] = [await register('owner'), await register('author'), await register('member')];
    const rooms: string[] = [];
    for (const ephemeral of [false, true]) {
      const made = await call<TConversation>(owner, 'POST', '/groups', { name: ephemeral ? 'vanishing' : 'lasting', memberIds: [author.id, member.id], ephemeral, anonymousQuestions: true });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      rooms.push(made.body.id);
    }
    const memberTab = await listen(member);
    // the author's other device: told which anonymous messages are theirs, nobody else is
    const authorElsewhere = await connectSocket(api.baseUrl, author.token);
    sockets.push(authorElsewhere);
    const yours: unknown[] = [];
    authorElsewhere.socket.on('message:yours', (e: unknown) => yours.push(e));
    // uploading is under the author's name, as any request of theirs: before the scan starts
    const uploads: Array<{ id: string; url: string }> = [];
    for (const room of rooms) {
      const form = new FormData();
      form.append('file', new Blob([new TextEncoder().encode(`diagram for ${room}`)]), 'diagram.txt');
      const res = await fetch(`${api.baseUrl}/api/uploads`, { method: 'POST', body: form, headers: { authorization: `Bearer ${author.token}` } });
      assert.equal(res.status, 201);
      uploads.push((await res.json()) as { id: string; url: string });
    }
    const logsFrom = logs.length;
    for (const [i, room] of rooms.entries()) {
      const asked = await send(author, room, 'Why does this diagram loop?', { anonymous: true, attachmentIds: [uploads[i].id] });
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      assert.deepEqual([asked.body.sender, asked.body.attachments.length, asked.body.sentByYou], [ANONYMOUS_SENDER, 1, true]);
      await eventually(() => yours.some((e) => JSON.stringify(e) === JSON.stringify({ conversationId: room, messageId: asked.body.id, clientMsgId: asked.body.clientMsgId })), "the author's other socket learns it is theirs");
      // the author's own history and changes mark it, from any device
      for (const path of [`/conversations/${room}/messages`, `/conversations/${room}/changes?after=0`]) {
        const own = (await call<{ items: TMessage[] }>(author, 'GET', path, undefined, { own: true })).body.items.find((m) => m.id === asked.body.id);
        assert.equal(own?.sentByYou, true, path);
      }
      await eventually(() => memberTab.messages.some((m) => m.id === asked.body.id), 'the member receives it');
      const edited = await call<TMessage>(author, 'PATCH', `/conversations/${room}/messages/${asked.body.id}`, { body: 'Why does this diagram loop forever?' }, { own: true });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.equal((await call(owner, 'PATCH', `/conversations/${room}/messages/${asked.body.id}`, { body: 'hijacked' })).status, 403);
      for (const who of [owner, member]) {
        await call(who, 'GET', `/conversations/${room}/messages`);
        await call(who, 'GET', `/conversations/${room}/changes?after=0`);
        const file = await fetch(`${api.baseUrl}${uploads[i].url}`, { headers: { authorization: `Bearer ${who.token}` } });
        assert.equal(file.status, 200);
        seenByOthers.push(JSON.stringify(Object.fromEntries(file.headers)), await file.text());
      }
      const found = (await call<{ items: Array<{ message: TMessage }> }>(member, 'GET', '/search/messages?q=diagram')).body.items;
      assert.ok(found.some((h) => h.message.id === asked.body.id), 'search finds it');
    }
    const stored = await db.query(`SELECT "uploaderId" FROM "Attachment" WHERE "id" = ANY($1::uuid[])`, [uploads.map((u) => u.id)]);
    assert.deepEqual(stored.rows, [{ uploaderId: null }, { uploaderId: null }], 'the upload rows forget the asker');
    seenByOthers.push(await exportOf(owner, rooms[0]));
    assertNothingNames(author, logsFrom);
    const marked = seenByOthers.find((text) => text.includes('sentByYou') || text.includes('message:yours'));
    assert.equal(marked, undefined, `others are told whose it is: ${marked}`);
  });

  test('PATCH /api/groups/:id: owner only, validated, members told', async () => {
    const [owner, member, outsider] = [await register('owner'), await register('member'), await register('outsider')];
    const group = (await call<TConversation>(owner, 'POST', '/groups', { name: 'settings', memberIds: [member.id] })).body;
    const patch = (who: Who, body: unknown, id = group.id) => call<any>(who, 'PATCH', `/groups/${id}`, body);

    assert.equal((await patch(member, { anonymousQuestions: true })).status, 403, 'a member');
    assert.equal((await patch(outsider, { anonymousQuestions: true })).status, 404, 'a non-member of a private group');
    for (const [body, field] of [
      [{ anonymousQuestions: 'yes' }, 'anonymousQuestions'],
      [{ name: '' }, 'name'],
      [{ description: 'x'.repeat(501) }, 'description'],
      [{ ephemeralish: true }, 'ephemeralish'],
    ] as const) {
      const res = await patch(owner, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'validation_failed');
      assert.ok(field in res.body.error.fields, `names ${field}: ${JSON.stringify(res.body)}`);
    }
    assert.equal((await patch(owner, {})).status, 400, 'nothing to change');
    const all = (await db.query(`SELECT id FROM "Conversation" WHERE kind = 'all'`)).rows[0].id as string;
    assert.equal((await patch(admin, { anonymousQuestions: true }, all)).status, 403, 'the all conversation has no owner');
    const unchanged = await db.query('SELECT name, description, "anonymousQuestions" FROM "Conversation" WHERE id = $1', [group.id]);
    assert.deepEqual(unchanged.rows[0], { name: 'settings', description: '', anonymousQuestions: false }, 'nothing stored by refused changes');

    const memberTab = await listen(member);
    const updated = nextConversationEvent(memberTab, group.id, (c) => c.name === 'Settings 2');
    const ok = await patch(owner, { name: 'Settings 2', description: '  Ask anything.\nReally.  ' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual([ok.body.name, ok.body.description, ok.body.anonymousQuestions], ['Settings 2', 'Ask anything.\nReally.', false]);
    const seen = await updated;
    assert.deepEqual([seen.name, seen.description, seen.role], ['Settings 2', 'Ask anything.\nReally.', 'member'], "each member gets their own view");
  });
});
