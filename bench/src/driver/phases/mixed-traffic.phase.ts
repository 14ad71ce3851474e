import { performance } from 'node:perf_hooks';
import type { TMessage, TMessagePage } from '@chatbox/contracts';
import { ActionKind, ChangeTracker, Shows } from '../change-tracker';
import { BenchUser, messageBody } from '../bench-user';
import { nextClientMsgId, PhaseContext } from '../phase-context';
import { summarize } from '../../lib/stats';
import type { PhaseResult } from '../driver-protocol';

/** The mix of phase E (issue 13): shares of all actions, in the order they are drawn. */
export const MIX: ReadonlyArray<[ActionKind, number]> = [
  ['message', 0.6],
  ['reply', 0.15],
  ['edit', 0.1],
  ['reaction', 0.1],
  ['delete', 0.05],
];
const EMOJIS = ['👍', '🎉', '❤️', '😂', '🚀', ':ship_it:', ':+1:', ':eyes:', ':tada:', ':100:'];

/** The action the k-th draw makes: an even spread of the mix over any run (no randomness, reproducible). */
export function kindOf(k: number): ActionKind {
  const x = ((k * 0.6180339887) % 1 + 1) % 1; // golden-ratio sequence: evenly spread in [0, 1)
  let acc = 0;
  for (const [kind, share] of MIX) if (x < (acc += share)) return kind;
  return 'message';
}

/**
 * A state of the edited message shows an edit when it has the edit's text, or was deleted since
 * (which includes the edit too); a later edit's state also includes it, which the tracker tells
 * by eventSeq once the edit's answer named its own.
 */
export const showsEdit = (text: string): Shows => (m) => m.body === text || m.deletedAt !== null;

/** A message of the phase, as the driver knows it, to aim replies, edits, reactions and deletes at. */
type Known = { id: string; senderId: string; root: boolean; reactions: Set<string> };

/**
 * A group's messages of the phase, indexed the ways actions pick them (the driver shares the
 * cores with the servers: filtering the whole pool on every action cost it ~15 % of its CPU at
 * 1,000 actions/s, more the longer the phase ran: ~800 messages per group by the end).
 */
class GroupPool {
  readonly all: Known[] = [];
  readonly roots: Known[] = [];
  private readonly bySender = new Map<string, Known[]>();

  add(m: Known): void {
    this.all.push(m);
    if (m.root) this.roots.push(m);
    const own = this.bySender.get(m.senderId);
    if (own) own.push(m);
    else this.bySender.set(m.senderId, [m]);
  }

  own(senderId: string): readonly Known[] {
    return this.bySender.get(senderId) ?? [];
  }

  /** Nothing aims at it any more (deleted). */
  remove(m: Known): void {
    for (const list of [this.all, this.roots, this.bySender.get(m.senderId) ?? []]) {
      const i = list.indexOf(m);
      if (i >= 0) list.splice(i, 1);
    }
  }

  /** The k-th message (cyclically) with an emoji this user has not put on it yet, and that emoji. */
  reactable(userId: string, k: number): { target: Known; emoji: string } | undefined {
    for (let i = 0; i < this.all.length; i++) {
      const target = this.all[(k + i) % this.all.length];
      const emoji = EMOJIS.find((e) => !target.reactions.has(`${userId} ${e}`));
      if (emoji) return { target, emoji };
    }
    return undefined;
  }
}

/**
 * Phase E: mixed traffic at a fixed total rate (60 % messages, 15 % replies, 10 % edits, 10 %
 * reactions, 5 % deletes), every user acting in its own group, open loop like phase A. Measures
 * from each action to every other member's socket (`message` / `message:updated` showing it), and
 * that nothing is lost. Every actor also says it is typing before its actions, as a client does
 * (at most once every TYPING_RELAY_MS): ephemeral traffic beside the stored one. One member of a busy group is offline through it; afterwards it catches
 * up with `changes?after=` the eventSeq it held (API.md "Changes"), timed. The measured window
 * comes after `warmupSeconds` of the same traffic, whose latency is reported on its own: what a
 * server meets in the first seconds after its change paths' first use.
 */
export async function mixedTrafficPhase(ctx: PhaseContext): Promise<PhaseResult> {
  const { pop } = ctx;
  const { rate, seconds, warmupSeconds } = ctx.config.phaseE;
  const away = pop.users[2];
  const awayClient = pop.client(away);
  const heldEventSeq = (await pop.conversations(away)).find((c) => c.id === away.groupId)?.lastEventSeq ?? 0;
  away.disconnect();
  const actors = pop.connected().filter((u) => u.groupId);
  const known = new Map<string, GroupPool>(actors.map((u) => [u.groupId, new GroupPool()])); // per group
  const warmUp = new ChangeTracker();
  const tracker = new ChangeTracker();
  const body = messageBody(ctx.config.bodyBytes, 'E');
  const errors: string[] = [];
  const note = (e: string) => void (errors.length < 10 && errors.push(e));
  let issued = 0;
  let turn = 0;
  let typingSent = 0;
  let typingErrors = 0;
  const typingBefore = pop.users.reduce((n, u) => n + u.typingReceived, 0);

  const act = (tracker: ChangeTracker, user: BenchUser, k: number) => {
    const pool = known.get(user.groupId)!;
    const recipients = pop.groupPeers(user).filter((u) => u !== away).map((u) => u.id);
    if (user.typing(user.groupId, (why) => (typingErrors++, note(why)))) typingSent++;
    let kind = kindOf(k);
    const own = pool.own(user.id);
    const roots = pool.roots;
    const reactable = kind === 'reaction' ? pool.reactable(user.id, k) : undefined;
    if ((kind === 'edit' || kind === 'delete') && own.length === 0) kind = 'message';
    if (kind === 'reply' && roots.length === 0) kind = 'message';
    if (kind === 'reaction' && reactable === undefined) kind = 'message';

    if (kind === 'message' || kind === 'reply') {
      const clientMsgId = nextClientMsgId('E');
      const threadRootId = kind === 'reply' ? roots[k % roots.length].id : undefined;
      const id = tracker.start(kind, clientMsgId, recipients, () => true, user.id);
      user.send(user.groupId, clientMsgId, body, { threadRootId }).then(
        (m) => {
          tracker.done(id, { messageId: m.id, eventSeq: m.eventSeq });
          pool.add({ id: m.id, senderId: user.id, root: !threadRootId, reactions: new Set() });
        },
        (err: Error) => (tracker.failed(id, false), note(err.message)),
      );
      return;
    }
    const target = reactable ? reactable.target : own[k % own.length];
    const path = `/conversations/${user.groupId}/messages/${target.id}`;
    const client = pop.keepAliveClient(user);
    // a state that shows it, or any later one (the tracker knows an edit's eventSeq from its answer)
    let shows: Shows;
    let call: () => Promise<{ status: number; body: unknown }>;
    if (kind === 'edit') {
      const text = `${body.slice(0, 20)} edit ${k}`;
      shows = showsEdit(text);
      call = () => client.patch(path, { body: text }, user.token);
    } else if (kind === 'reaction') {
      const emoji = reactable!.emoji;
      target.reactions.add(`${user.id} ${emoji}`);
      shows = (m) => m.deletedAt !== null || m.reactions.some((r) => r.emoji === emoji && r.userIds.includes(user.id));
      call = () => client.put(`${path}/reactions/${encodeURIComponent(emoji)}`, undefined, user.token);
    } else {
      pool.remove(target); // nothing more aims at it
      shows = (m) => m.deletedAt !== null;
      call = () => client.delete(path, user.token);
    }
    const id = tracker.start(kind, target.id, recipients, shows, user.id);
    call().then(
      (res) => {
        if (res.status === 200 || res.status === 204) {
          return tracker.done(id, { messageId: target.id, eventSeq: kind === 'edit' ? (res.body as TMessage).eventSeq : undefined });
        }
        // 409: the message was deleted while this edit or reaction was on its way (a race the contract names)
        tracker.failed(id, res.status === 409);
        if (res.status !== 409) note(`${kind} ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
      },
      (err: Error) => (tracker.failed(id, false), note(err.message)),
    );
  };

  /** Open loop: `count` actions at `rate`, recorded by `tracker`, then their deliveries settled; the seconds it took to issue them. */
  const run = async (tracker: ChangeTracker, count: number): Promise<number> => {
    const unlisten = ctx.router.listen(tracker);
    const start = performance.now();
    const first = issued;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const due = Math.min(count, Math.floor(((performance.now() - start) * rate) / 1000));
        while (issued - first < due) act(tracker, actors[turn++ % actors.length], issued++);
        if (issued - first >= count) return resolve();
        setTimeout(tick, 5);
      };
      tick();
    });
    const actSeconds = (performance.now() - start) / 1000;
    await tracker.settle(ctx.config.settleMs);
    unlisten();
    return actSeconds;
  };

  await run(warmUp, Math.round(rate * warmupSeconds));
  const w = warmUp.summary();
  if (warmupSeconds > 0) ctx.log(`E warm-up, ${warmupSeconds} s at ${rate}/s (not measured below): p50 ${w.latencyMs.p50} p99 ${w.latencyMs.p99} ms, lost ${w.lost}`);
  pop.takeRequestTimings(); // only the measured window's own
  ctx.mark('E', 'start');
  const measuredFrom = issued;
  const actSeconds = await run(tracker, Math.round(rate * seconds));
  ctx.mark('E', 'end');
  const s = tracker.summary();
  const rest = pop.takeRequestTimings();

  // the member that was offline comes back: everything after the eventSeq it held, via changes?after=
  const t0 = performance.now();
  const caughtUp: TMessage[] = [];
  let requests = 0;
  for (let after = heldEventSeq; ; ) {
    const page = await awayClient.get<TMessagePage>(`/conversations/${away.groupId}/changes?after=${after}&limit=100`, away.token);
    requests++;
    if (page.status !== 200) throw new Error(`changes?after=${after}: ${page.status}`);
    caughtUp.push(...page.body.items);
    if (page.body.nextCursor === null) break;
    after = Number(page.body.nextCursor);
  }
  const catchUpMs = performance.now() - t0;
  const lastEventSeq = (await pop.conversations(away)).find((c) => c.id === away.groupId)?.lastEventSeq ?? 0;
  await away.connect(ctx.router.sink);

  const problems: string[] = [];
  if (s.lost + w.lost > 0) problems.push(`${s.lost} of ${s.expected} deliveries lost (and ${w.lost} of ${w.expected} in the warm-up)`);
  for (const l of s.lostDeliveries.slice(0, 20)) ctx.log(`E lost: ${JSON.stringify(l)}`);
  if (s.failed + w.failed > 0 || typingErrors > 0) problems.push(`${s.failed + w.failed} actions and ${typingErrors} typing events failed: ${errors.slice(0, 3).join('; ')}`);
  const reached = caughtUp.at(-1)?.eventSeq ?? heldEventSeq;
  if (reached !== lastEventSeq) problems.push(`catch-up reached eventSeq ${reached}, the group is at ${lastEventSeq}`);
  if (caughtUp.some((m, i) => i > 0 && m.eventSeq <= caughtUp[i - 1].eventSeq)) problems.push('catch-up not ascending by eventSeq');
  ctx.log(`E ${rate}/s: ${JSON.stringify(s.actions)}, lost ${s.lost} (${s.shownBeforeAnswer} shown by a later state before the answer), failed ${s.failed}, refused ${s.refused}, p50 ${s.latencyMs.p50} p99 ${s.latencyMs.p99} ms; catch-up of ${lastEventSeq - heldEventSeq} changes in ${round(catchUpMs)} ms`);
  return {
    phase: 'E',
    ok: problems.length === 0,
    problems,
    rate,
    seconds,
    achievedRate: Math.round((issued - measuredFrom) / actSeconds),
    ...s,
    warmUp: { seconds: warmupSeconds, actions: w.actions, lost: w.lost, latencyMs: w.latencyMs },
    // every actor types before its actions (at most once per TYPING_RELAY_MS); the others see it
    typing: { sent: typingSent, errors: typingErrors, received: pop.users.reduce((n, u) => n + u.typingReceived, 0) - typingBefore },
    // the REST changes' time waiting for one of the driver's pooled connections, then for the api's answer
    rest: { queuedMs: summarize(rest.queuedMs), answerMs: summarize(rest.answerMs) },
    catchUp: { changes: lastEventSeq - heldEventSeq, messages: caughtUp.length, requests, ms: round(catchUpMs) },
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
