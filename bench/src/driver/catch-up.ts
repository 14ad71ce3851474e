import type { TConversation, TMessage } from '@chatbox/contracts';
import type { ApiClient } from '@chatbox/server-testing';

/**
 * What a client does after login or reconnect: for every conversation whose lastSeq is past
 * what it holds, page forward with `after=` until it has everything. Returns the fetched
 * messages per conversation and the number of requests it took.
 */
export async function catchUp(
  client: ApiClient,
  token: string,
  held: ReadonlyMap<string, number>,
  pageSize = 100,
): Promise<{ messages: Map<string, TMessage[]>; requests: number }> {
  const res = await client.get('/conversations', token);
  if (res.status !== 200) throw new Error(`GET /conversations: ${res.status}`);
  const list: TConversation[] = Array.isArray(res.body) ? res.body : res.body.items;
  let requests = 1;
  const messages = new Map<string, TMessage[]>();
  await Promise.all(
    list
      .filter((c) => c.lastSeq > (held.get(c.id) ?? 0))
      .map(async (c) => {
        const got: TMessage[] = [];
        let after = held.get(c.id) ?? 0;
        // bounded: each page moves `after` forward or ends the loop
        while (after < c.lastSeq) {
          const page = await client.get(`/conversations/${c.id}/messages?after=${after}&limit=${pageSize}`, token);
          requests++;
          if (page.status !== 200) throw new Error(`GET messages of ${c.id}: ${page.status}`);
          const items: TMessage[] = Array.isArray(page.body) ? page.body : page.body.items;
          if (items.length === 0) break;
          got.push(...items);
          after = items[items.length - 1].seq;
        }
        messages.set(c.id, got);
      }),
  );
  return { messages, requests };
}

/** Problems with a fetched sequence: seqs not contiguous after `from`, or not exactly `expected` (by id). */
export function checkSequence(fetched: readonly TMessage[], from: number, expected: readonly TMessage[]): string[] {
  const problems: string[] = [];
  fetched.forEach((m, i) => {
    if (m.seq !== from + i + 1) problems.push(`seq ${m.seq} at position ${i} (expected ${from + i + 1})`);
  });
  const want = [...expected].sort((a, b) => a.seq - b.seq).map((m) => m.id);
  const got = fetched.map((m) => m.id);
  if (want.length !== got.length) problems.push(`${got.length} messages fetched, ${want.length} expected`);
  else if (want.some((id, i) => got[i] !== id)) problems.push('fetched messages differ from the acknowledged ones');
  return problems.slice(0, 5);
}
