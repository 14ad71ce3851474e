import { performance } from 'node:perf_hooks';
import type { TMessage } from '@chatbox/contracts';
import { inBatches, messageBody } from '../bench-user';
import { catchUp, checkSequence } from '../catch-up';
import { nextClientMsgId, PhaseContext } from '../phase-context';
import type { PhaseResult } from '../driver-protocol';

/**
 * Phase C: a user logs out; `messages` arrive in its group and `all` (half each) from other
 * users; it logs in and fetches what it missed through the history API. Measures login, and
 * the time from the login answer until it holds all of them in order.
 */
export async function catchUpPhase(ctx: PhaseContext): Promise<PhaseResult> {
  const { pop } = ctx;
  const away = pop.users[1];
  const client = pop.client(away);
  const held = new Map((await pop.conversations(away)).map((c) => [c.id, c.lastSeq]));
  away.disconnect();
  const logout = await client.post('/auth/logout', undefined, away.token);
  if (logout.status !== 204) throw new Error(`logout: ${logout.status}`);

  const peers = pop.groupPeers(away).filter((u) => u.socket?.connected);
  const others = pop.connected().filter((u) => u !== away);
  const body = messageBody(ctx.config.bodyBytes, 'C');
  const total = ctx.config.phaseC.messages;
  const sends = Array.from({ length: total }, (_, i) =>
    i % 2 === 0 ? { user: peers[i % peers.length], conv: away.groupId } : { user: others[i % others.length], conv: pop.allId },
  );
  const failures: string[] = [];
  const acked = (await inBatches(sends, 32, ({ user, conv }) => user.send(conv, nextClientMsgId('C'), body).catch((e: Error) => (failures.push(e.message), undefined)))).filter(
    (m): m is TMessage => m !== undefined,
  );

  const t0 = performance.now();
  await pop.login(away);
  const t1 = performance.now();
  const { messages, requests } = await catchUp(client, away.token, held);
  const t2 = performance.now();

  const problems: string[] = failures.length ? [`${failures.length} sends failed: ${failures[0]}`] : [];
  for (const conv of [away.groupId, pop.allId]) {
    const want = acked.filter((m) => m.conversationId === conv);
    problems.push(...checkSequence(messages.get(conv) ?? [], held.get(conv) ?? 0, want).map((p) => `${conv === pop.allId ? 'all' : 'group'}: ${p}`));
  }
  const fetched = [...messages.values()].reduce((n, l) => n + l.length, 0);
  // Back online for the phases after this one.
  await away.connect(ctx.router.sink);
  return {
    phase: 'C',
    ok: problems.length === 0,
    problems,
    missed: acked.length,
    fetched,
    requests,
    loginMs: round(t1 - t0),
    catchUpAfterLoginMs: round(t2 - t1),
    totalMs: round(t2 - t0),
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
