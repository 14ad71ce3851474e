import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { TMessage, TMessageSearchHit, TMessageSearchPage } from '@chatbox/contracts';
import { useStack } from './support/stack';
import { createGroup, people, Person } from './support/chat-fixtures';

/** API.md "Search": GET /api/search/messages. */
describe('message search', () => {
  const stack = useStack();

  /** A word no other test (nor any other file's messages in `all`) holds. */
  const unique = () => `zq${randomBytes(5).toString('hex')}`;
  let sent = 0;
  const send = async (conversationId: string, who: Person, body: string): Promise<TMessage> => {
    const res = await stack.t.client.post(`/conversations/${conversationId}/messages`, { clientMsgId: `s-${++sent}-${unique()}`, body }, who.token);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const search = async (who: Person, params: Record<string, string | number>): Promise<TMessageSearchPage> => {
    const res = await stack.t.client.get(`/search/messages?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))}`, who.token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const bodies = async (who: Person, q: string, more: Record<string, string | number> = {}) =>
    (await search(who, { q, ...more })).items.map((hit) => hit.message.body);
  const group = async (n: number, name = 'search group') => {
    const members = await people(stack.t, n);
    const g = await createGroup(stack.t, members[0], { name, memberIds: members.slice(1).map((m) => m.id) });
    return { members, id: g.id };
  };
  const marked = (hit: TMessageSearchHit) => hit.highlights.map((r) => hit.message.body.slice(r.start, r.end));

  test('a word finds the message with its conversation and the matched words marked; a non-member finds nothing', async () => {
    const { members: [a, b], id } = await group(2, 'Launch room');
    const [outsider] = await people(stack.t, 1);
    const w = unique();
    const m = await send(id, a, `Shipping ${w} today, ${w.toUpperCase()}!`);
    const page = await search(b, { q: w });
    assert.equal(page.items.length, 1);
    const [hit] = page.items;
    assert.deepEqual(hit.message, m);
    assert.deepEqual(hit.conversation, { id, kind: 'group', name: 'Launch room' });
    assert.deepEqual(marked(hit), [w, w.toUpperCase()]);
    assert.equal(page.nextCursor, null);
    assert.deepEqual(await bodies(outsider, w), [], 'not a member: nothing');
    const res = await stack.t.client.get(`/search/messages?q=${w}&conversationId=${id}`, outsider.token);
    assert.equal(res.status, 404, 'filtering on a private group one is not in: as its history answers');
  });

  test('a removed member no longer finds; a deleted message is not found by its former text; an edited one only by its new text', async () => {
    const { members: [a, b], id } = await group(2);
    const [w, old, fresh, gone] = [unique(), unique(), unique(), unique()];
    await send(id, a, `${w} stays`);
    const edited = await send(id, a, `${old} words`);
    const deleted = await send(id, a, `${gone} secret`);
    assert.equal((await stack.t.client.patch(`/conversations/${id}/messages/${edited.id}`, { body: `${fresh} words` }, a.token)).status, 200);
    assert.equal((await stack.t.client.delete(`/conversations/${id}/messages/${deleted.id}`, a.token)).status, 204);
    assert.deepEqual(await bodies(b, old), [], 'the old text of an edited message');
    assert.deepEqual(await bodies(b, fresh), [`${fresh} words`]);
    assert.deepEqual(await bodies(a, gone), [], 'a deleted message, even for its sender');
    assert.deepEqual(await bodies(b, 'secret', { conversationId: id }), []);
    const row = await stack.t.prisma.$queryRaw<Array<{ v: string }>>`SELECT "searchVector"::text AS v FROM "Message" WHERE id = ${deleted.id}::uuid`;
    assert.equal(row[0].v, `'~${id}'`, 'no word of it is left in the index, only its conversation');

    assert.deepEqual(await bodies(b, w), [`${w} stays`]);
    assert.equal((await stack.t.client.delete(`/groups/${id}/members/${b.id}`, a.token)).status, 204);
    assert.deepEqual(await bodies(b, w), [], 'removed: nothing from that conversation any more');
    assert.equal((await stack.t.client.get(`/search/messages?q=${w}&conversationId=${id}`, b.token)).status, 404);
  });

  // Every search scans the index once per conversation of the caller, and each scan would read
  // GIN's whole pending list first (~300 ms for 5,000 pending messages: bench/README.md).
  test('the search index keeps no pending list', async () => {
    const [row] = await stack.t.prisma.$queryRaw<Array<{ options: string[] | null }>>`
      SELECT reloptions AS options FROM pg_class WHERE relname = 'Message_conversationId_searchVector_idx'`;
    assert.ok(row?.options?.includes('fastupdate=off'), JSON.stringify(row));
  });

  test('"phrases" in order, prefix*, accents and case folded, Cyrillic and Greek words', async () => {
    const { members: [a], id } = await group(1);
    const w = unique();
    const texts = [
      `${w} release notes are ready`,
      `${w} notes about the release`,
      `${w} Crème brûlée at the CAFÉ`,
      `${w} Привет, мир! Ёлка`,
      `${w} Καλημέρα κόσμε`,
      `${w} deployment finished`,
    ];
    for (const body of texts) await send(id, a, body);
    const find = (q: string) => bodies(a, `${w} ${q}`).then((found) => found.sort());
    assert.deepEqual(await find('"release notes"'), [texts[0]]);
    assert.deepEqual(await find('release notes'), [texts[0], texts[1]].sort());
    assert.deepEqual(await find('deploy*'), [texts[5]]);
    assert.deepEqual(await find('deploy'), [], 'a word is whole without *');
    assert.deepEqual(await find('creme brulee cafe'), [texts[2]]);
    assert.deepEqual(await find('CRÈME'), [texts[2]]);
    assert.deepEqual(await find('привет'), [texts[3]]);
    assert.deepEqual(await find('ЕЛКА'), [texts[3]], 'ё folds to е');
    assert.deepEqual(await find('мир'), [texts[3]]);
    assert.deepEqual(await find('καλημερα'), [texts[4]], 'Greek without its accent');
    assert.deepEqual(await find('ΚΌΣΜΕ'), [texts[4]]);
    assert.deepEqual(await find('καλη*'), [texts[4]]);
    assert.deepEqual(await find('"κόσμε καλημέρα"'), [], 'a phrase keeps its order');
    const [hit] = (await search(a, { q: `${w} καλη*` })).items;
    assert.deepEqual(marked(hit), [w, 'Καλημέρα']);
  });

  test('prefix*: beyond three letters only words it starts; three letters, one or two, a whole word, folded letters', async () => {
    const { members: [a], id } = await group(1);
    const w = unique();
    const texts = [`${w} deployment done`, `${w} depot closed`, `${w} de facto`, `${w} the end`, `${w} Straße gesperrt`];
    for (const body of texts) await send(id, a, body);
    const find = (q: string) => bodies(a, `${w} ${q}`).then((found) => found.sort());
    // the index looks a prefix up by its first three letters: the rest is checked on each message
    assert.deepEqual(await find('deplo*'), [texts[0]], 'depot shares "dep" only');
    assert.deepEqual(await find('deplo* done'), [texts[0]]);
    assert.deepEqual(await find('dep*'), [texts[0], texts[1]].sort());
    assert.deepEqual(await find('de*'), [texts[0], texts[1], texts[2]].sort(), 'two letters: a partial match');
    assert.deepEqual(await find('d*'), [texts[0], texts[1], texts[2]].sort());
    assert.deepEqual(await find('the*'), [texts[3]], 'a three-letter word is its own prefix');
    assert.deepEqual(await find('STRAß*'), [texts[4]], 'ß folds to ss on both sides');
    assert.deepEqual(await find('deplox*'), []);
    const [hit] = (await search(a, { q: `${w} deplo*` })).items;
    assert.deepEqual(marked(hit), [w, 'deployment']);
  });

  test('filters: one conversation, one sender; both together', async () => {
    const { members: [a, b], id } = await group(2);
    const other = await createGroup(stack.t, a, { memberIds: [b.id] });
    const w = unique();
    await send(id, a, `${w} from a here`);
    await send(id, b, `${w} from b here`);
    await send(other.id, a, `${w} from a there`);
    assert.deepEqual((await bodies(b, w, { conversationId: id })).sort(), [`${w} from a here`, `${w} from b here`]);
    assert.deepEqual((await bodies(b, w, { from: a.id })).sort(), [`${w} from a here`, `${w} from a there`]);
    assert.deepEqual(await bodies(b, w, { from: a.id, conversationId: other.id }), [`${w} from a there`]);
    assert.deepEqual(await bodies(b, w, { from: crypto.randomUUID() }), []);
  });

  test('best match first, newest first among equals; pages follow the cursor without repeats or gaps', async () => {
    const { members: [a], id } = await group(1);
    const w = unique();
    const plain: TMessage[] = [];
    for (let i = 0; i < 7; i++) plain.push(await send(id, a, `${w} number ${i}`));
    const best = await send(id, a, `${w} ${w} ${w} said three times`);
    const first = await search(a, { q: w, limit: 3 });
    assert.equal(first.items[0].message.id, best.id, 'the message that holds the word most often');
    const ids = first.items.map((h) => h.message.id);
    let cursor = first.nextCursor;
    while (cursor) {
      const next = await search(a, { q: w, limit: 3, cursor });
      ids.push(...next.items.map((h) => h.message.id));
      cursor = next.nextCursor;
    }
    assert.deepEqual(ids, [best.id, ...plain.reverse().map((m) => m.id)]);
  });

  test('a hit opens through around=: the message centred in its history, older and newer pages from there', async () => {
    const { members: [a], id } = await group(1);
    const w = unique();
    for (let i = 1; i <= 30; i++) await send(id, a, i === 17 ? `the ${w} one` : `filler ${i}`);
    const [hit] = (await search(a, { q: w })).items;
    assert.equal(hit.message.seq, 17);
    const around = (await stack.t.client.get(`/conversations/${id}/messages?around=${hit.message.seq}&limit=10`, a.token)).body.items as TMessage[];
    assert.deepEqual(around.map((m) => m.seq), [13, 14, 15, 16, 17, 18, 19, 20, 21, 22]);
    const older = (await stack.t.client.get(`/conversations/${id}/messages?before=13&limit=10`, a.token)).body.items as TMessage[];
    const newer = (await stack.t.client.get(`/conversations/${id}/messages?after=22&limit=10`, a.token)).body.items as TMessage[];
    assert.deepEqual(older.map((m) => m.seq), [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.deepEqual(newer.map((m) => m.seq), [23, 24, 25, 26, 27, 28, 29, 30]);
  });

  test('bad input is a 400 naming the field', async () => {
    const [a] = await people(stack.t, 1);
    const cases: Array<[string, string]> = [
      ['', 'q'],
      ['q=', 'q'],
      ['q=%20%20', 'q'],
      ['q=%22%2A%21%22', 'q'],
      [`q=${'a'.repeat(201)}`, 'q'],
      ['q=ok&conversationId=nope', 'conversationId'],
      ['q=ok&from=1', 'from'],
      ['q=ok&limit=0', 'limit'],
      ['q=ok&limit=101', 'limit'],
      ['q=ok&cursor=%21%21', 'cursor'],
      [`q=ok&cursor=${Buffer.from('[1,"x"]').toString('base64url')}`, 'cursor'],
    ];
    for (const [query, field] of cases) {
      const res = await stack.t.client.get(`/search/messages?${query}`, a.token);
      assert.equal(res.status, 400, query);
      assert.ok(res.body.error.fields[field], `${query}: ${JSON.stringify(res.body)}`);
    }
    assert.equal((await stack.t.client.get(`/search/messages?q=${'a'.repeat(200)}`, a.token)).status, 200, '200 characters are fine');
    assert.equal((await stack.t.client.get('/search/messages?q=ok')).status, 401);
  });
});
