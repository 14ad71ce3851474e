import { performance } from 'node:perf_hooks';
import type { TMessage } from '@chatbox/contracts';
import { summarize } from '../../lib/stats';
import { PhaseContext } from '../phase-context';
import type { PhaseResult } from '../driver-protocol';

type HistoryPage = { query: string; firstSeq: number };

/**
 * Phase D: a group whose history the bench seeds straight into PostgreSQL; the owner pages it
 * through the API: the newest page, and a page from the middle by `before=`. Each fetch is
 * checked (right seqs, ascending) and timed from request to parsed answer, after unmeasured
 * warm-up fetches that bring the server's request path to the steady state a long-running
 * server is in (V8 compiles it over its first couple of thousand requests).
 */
export async function historyPhase(ctx: PhaseContext): Promise<PhaseResult> {
  const { messages: count, fetches, pageSize, warmupFetches } = ctx.config.phaseD;
  const owner = ctx.pop.users[0];
  const client = ctx.pop.client(owner);
  const created = await client.post('/groups', { name: `bench ${ctx.config.runId} history`, visibility: 'private' }, owner.token);
  if (created.status !== 201) throw new Error(`create history group: ${created.status}`);
  const conversationId: string = created.body.id;
  const seedStart = performance.now();
  await ctx.seedHistory(conversationId, owner.id, count);
  const seedMs = Math.round(performance.now() - seedStart);

  const middle = Math.floor(count / 2);
  const newestPage = { query: `limit=${pageSize}`, firstSeq: count - pageSize + 1 };
  const middlePage = { query: `before=${middle}&limit=${pageSize}`, firstSeq: middle - pageSize };
  const problems: string[] = [];
  /** One checked fetch (right seqs, ascending); returns how long it took. */
  const fetchPage = async ({ query, firstSeq }: HistoryPage): Promise<number> => {
    const t = performance.now();
    const res = await client.get(`/conversations/${conversationId}/messages?${query}`, owner.token);
    const ms = performance.now() - t;
    const items: TMessage[] = Array.isArray(res.body) ? res.body : res.body?.items ?? [];
    const wrong = res.status !== 200 || items.length !== pageSize || items.some((m, k) => m.seq !== firstSeq + k);
    if (wrong && problems.length < 5) problems.push(`${query}: status ${res.status}, seqs ${items[0]?.seq}..${items.at(-1)?.seq}`);
    return ms;
  };
  const timePages = async (page: HistoryPage) => {
    const samples: number[] = [];
    for (let i = 0; i < fetches; i++) samples.push(await fetchPage(page));
    return summarize(samples);
  };

  // the warm-up's first fetches are reported too: what the first readers after a restart see
  const warmupStart = performance.now();
  const coldSamples: number[] = [];
  for (let i = 0; i < warmupFetches; i++) {
    const ms = await fetchPage(i % 2 ? middlePage : newestPage);
    if (i < fetches) coldSamples.push(ms);
  }
  const warmupMs = Math.round(performance.now() - warmupStart);
  const cold = summarize(coldSamples);
  const newest = await timePages(newestPage);
  const middleTimes = await timePages(middlePage);
  ctx.log(
    `D ${count} messages: newest p50 ${newest.p50} p99 ${newest.p99}; middle p50 ${middleTimes.p50} p99 ${middleTimes.p99} ms ` +
      (warmupFetches ? `after ${warmupFetches} warm-up fetches (${warmupMs} ms; their first ${cold.count}: p50 ${cold.p50} p99 ${cold.p99} ms)` : 'without warm-up'),
  );
  return { phase: 'D', ok: problems.length === 0, problems, messages: count, seedMs, pageSize, warmupFetches, warmupMs, coldMs: cold, newestMs: newest, middleMs: middleTimes };
}
