import { performance } from 'node:perf_hooks';
import type { TMessage } from '@chatbox/contracts';
import { summarize } from '../../lib/stats';
import { PhaseContext } from '../phase-context';
import type { PhaseResult } from '../driver-protocol';

/**
 * Phase D: a group whose history the bench seeds straight into PostgreSQL; the owner pages it
 * through the API: the newest page, and a page from the middle by `before=`. Each fetch is
 * checked (right seqs, ascending) and timed from request to parsed answer.
 */
export async function historyPhase(ctx: PhaseContext): Promise<PhaseResult> {
  const { messages: count, fetches, pageSize } = ctx.config.phaseD;
  const owner = ctx.pop.users[0];
  const client = ctx.pop.client(owner);
  const created = await client.post('/groups', { name: `bench ${ctx.config.runId} history`, visibility: 'private' }, owner.token);
  if (created.status !== 201) throw new Error(`create history group: ${created.status}`);
  const conversationId: string = created.body.id;
  const seedStart = performance.now();
  await ctx.seedHistory(conversationId, owner.id, count);
  const seedMs = Math.round(performance.now() - seedStart);

  const middle = Math.floor(count / 2);
  const problems: string[] = [];
  const timePages = async (query: string, firstSeq: number) => {
    const samples: number[] = [];
    for (let i = 0; i < fetches + 5; i++) {
      const t = performance.now();
      const res = await client.get(`/conversations/${conversationId}/messages?${query}`, owner.token);
      const ms = performance.now() - t;
      if (i >= 5) samples.push(ms); // the first few warm connections and caches
      const items: TMessage[] = Array.isArray(res.body) ? res.body : res.body?.items ?? [];
      const wrong = res.status !== 200 || items.length !== pageSize || items.some((m, k) => m.seq !== firstSeq + k);
      if (wrong && problems.length < 5) problems.push(`${query}: status ${res.status}, seqs ${items[0]?.seq}..${items.at(-1)?.seq}`);
    }
    return summarize(samples);
  };
  const newest = await timePages(`limit=${pageSize}`, count - pageSize + 1);
  const middlePage = await timePages(`before=${middle}&limit=${pageSize}`, middle - pageSize);
  ctx.log(`D ${count} messages: newest p50 ${newest.p50} p99 ${newest.p99}; middle p50 ${middlePage.p50} p99 ${middlePage.p99} ms`);
  return { phase: 'D', ok: problems.length === 0, problems, messages: count, seedMs, pageSize, newestMs: newest, middleMs: middlePage };
}
