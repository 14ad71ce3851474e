import type { TConversation, TMessage } from '@chatbox/contracts';
import type { ApiClient } from '@chatbox/server-testing';
import { inBatches } from './bench-user';

/**
 * What a client does after login or reconnect: for every conversation whose lastSeq is past
 * what it holds, fetch the pages after it (`after=`, in order of seq). Returns the fetched
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
  // Seqs are contiguous, so the client knows every page's `after=` from lastSeq up front and
  // fetches them side by side (at most 8 at a time) instead of one after another.
  const wanted = list.filter((c) => c.lastSeq > (held.get(c.id) ?? 0));
  const pages = wanted.flatMap((c) => {
    const from = held.get(c.id) ?? 0;
    return Array.from({ length: Math.ceil((c.lastSeq - from) / pageSize) }, (_, k) => ({ conv: c, after: from + k * pageSize }));
  });
  const fetched = await inBatches(pages, 8, async ({ conv, after }) => {
    const page = await client.get(`/conversations/${conv.id}/messages?after=${after}&limit=${pageSize}`, token);
    requests++;
    if (page.status !== 200) throw new Error(`GET messages of ${conv.id}: ${page.status}`);
    return { conv: conv.id, items: (Array.isArray(page.body) ? page.body : page.body.items) as TMessage[] };
  });
  for (const c of wanted) messages.set(c.id, fetched.filter((p) => p.conv === c.id).flatMap((p) => p.items));
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
