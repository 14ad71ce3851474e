import { performance } from 'node:perf_hooks';
import type { TMessage } from '@chatbox/contracts';
import { LatencySummary, summarize } from '../lib/stats';

export const ACTION_KINDS = ['message', 'reply', 'edit', 'reaction', 'delete'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** Whether a message state a recipient got shows the action (or a later state that includes it). */
export type Shows = (m: TMessage) => boolean;

type Action = {
  kind: ActionKind;
  key: string;
  actorId: string;
  startedAt: number;
  pending: Set<string>;
  expected: number;
  done: boolean;
  failed: boolean;
  refused: boolean;
  /** The eventSeq the action took, when its answer says (an edit's message); a state at or after it shows it. */
  eventSeq?: number;
  answeredAt?: number;
  /** The message it acted on (a send's once a recipient got it). */
  messageId?: string;
};

/** The last state of a message a recipient got: enough to tell, for a lost delivery, what it did see. */
type Seen = { eventSeq: number; body: string; deleted: boolean; reactions: string; at: number };
/** Every state of a message a recipient got: its eventSeq and when it arrived. */
type Arrival = { eventSeq: number; at: number };

/** A delivery that did not arrive: the action, the recipient and what it last saw of the message. */
export type LostDelivery = {
  kind: ActionKind;
  actorId: string;
  recipientId: string;
  messageId: string | null;
  conversationId: string | null;
  /** The eventSeq the action took, when known. */
  eventSeq: number | null;
  /** ms from the phase's first action. */
  startedAtMs: number;
  /** When its answer came, ms from the phase's first action. */
  answeredAtMs: number | null;
  /** The last state of that message this recipient got (null: none), and the eventSeqs of every state of it that came. */
  lastSeen: (Omit<Seen, 'at'> & { atMs: number; states: number[] }) | null;
};

export type ChangeSummary = {
  /** Actions the server carried out, by kind. */
  actions: Record<ActionKind, number>;
  /** Answered with an error the contract names for a race (409: edited or reacted to while being deleted). */
  refused: number;
  /** Answered otherwise than expected, or not at all. */
  failed: number;
  expected: number;
  delivered: number;
  lost: number;
  latencyMs: LatencySummary;
  latencyByKindMs: Record<ActionKind, LatencySummary>;
  /**
   * Deliveries whose showing state came before the action's answer and showed it only by its
   * eventSeq (a later state, the superseded one skipped): counted when the answer came.
   */
  shownBeforeAnswer: number;
  /** The first lost deliveries, each with what its recipient last saw of the message. */
  lostDeliveries: LostDelivery[];
};

/**
 * Follows mixed actions (sends, replies, edits, reactions, deletes) to every member's socket:
 * an action reaches a recipient with the first `message` / `message:updated` event, for the
 * message it acted on, whose state shows it: `Shows`, or, once the answer named the eventSeq the
 * action took, any state at or after that eventSeq, including one that arrived before the answer.
 * A later state counts because a fan-out that fills a gap from the database sends each message's
 * current state and skips the superseded ones (an edit replaced by a later edit never goes out on
 * its own). Latency is from the start of the action (the send or the REST call) to that event.
 */
export class ChangeTracker {
  private readonly actions = new Map<string, Action>();
  /** messageId (or clientMsgId before the ack) -> the actions still waiting on it and how each shows. */
  private readonly watching = new Map<string, Array<{ id: string; shows: Shows }>>();
  /** `${recipientId} ${messageId}` -> the last state of that message the recipient got (for lost deliveries' report). */
  private readonly seen = new Map<string, Seen>();
  /** `${recipientId} ${messageId}` -> the states of it that the recipient got, in order: an answer that comes after them still finds them. */
  private readonly arrivals = new Map<string, Arrival[]>();
  private readonly conversationOf = new Map<string, string>();
  private readonly latencies: Array<[ActionKind, number]> = [];
  private readonly began = performance.now();
  private delivered = 0;
  private shownBeforeAnswer = 0;
  private next = 0;

  /** Call right before the action; returns its id. Recipients exclude the actor. */
  start(kind: ActionKind, key: string, recipientIds: readonly string[], shows: Shows, actorId = ''): string {
    const id = String(++this.next);
    this.actions.set(id, { kind, key, actorId, startedAt: performance.now(), pending: new Set(recipientIds), expected: recipientIds.length, done: false, failed: false, refused: false });
    const list = this.watching.get(key) ?? [];
    list.push({ id, shows });
    this.watching.set(key, list);
    return id;
  }

  /** The server carried it out; `result` names the message and, when the answer says, the eventSeq the action took. */
  done(id: string, result: { messageId?: string; eventSeq?: number } = {}): void {
    const a = this.actions.get(id);
    if (!a) return;
    a.done = true;
    a.answeredAt = performance.now();
    a.messageId ??= result.messageId;
    a.eventSeq ??= result.eventSeq;
    if (a.eventSeq === undefined || a.messageId === undefined) return;
    // a state at or after the action's eventSeq may have come before the answer did: a fan-out
    // that filled a gap from the database sent the message's current state and skipped this
    // (superseded) one, e.g. an edit a later edit of the same message replaced
    for (const recipientId of [...a.pending]) {
      const first = this.arrivals.get(`${recipientId} ${a.messageId}`)?.find((s) => s.eventSeq >= a.eventSeq!);
      if (!first) continue;
      this.deliver(a, recipientId, first.at);
      this.shownBeforeAnswer++;
    }
  }

  failed(id: string, refused: boolean): void {
    const a = this.actions.get(id);
    if (!a) return;
    a.failed = !refused;
    a.refused = refused;
  }

  received(recipientId: string, message: TMessage): boolean {
    let mine = false;
    for (const key of [message.id, message.clientMsgId]) {
      const list = this.watching.get(key);
      if (!list) continue;
      mine = true;
      let reached = 0;
      for (const w of list) {
        const a = this.actions.get(w.id)!;
        a.messageId ??= message.id;
        if (a.pending.size === 0) reached++;
        if (!a.pending.has(recipientId)) continue;
        if (w.shows(message) || (a.eventSeq !== undefined && message.eventSeq >= a.eventSeq)) this.deliver(a, recipientId, performance.now());
      }
      // a message's every edit and reaction stays watched otherwise, and each delivery would test them all
      if (reached > 8) this.watching.set(key, list.filter((w) => this.actions.get(w.id)!.pending.size > 0));
    }
    if (mine) {
      const k = `${recipientId} ${message.id}`;
      const arrivals = this.arrivals.get(k);
      if (arrivals) arrivals.push({ eventSeq: message.eventSeq, at: performance.now() });
      else this.arrivals.set(k, [{ eventSeq: message.eventSeq, at: performance.now() }]);
      const reactions = message.reactions.map((r) => `${r.emoji}:${r.userIds.length}`).join(',');
      this.seen.set(k, { eventSeq: message.eventSeq, body: message.body.slice(-16), deleted: message.deletedAt !== null, reactions, at: performance.now() });
      this.conversationOf.set(message.id, message.conversationId);
    }
    return mine;
  }

  private deliver(a: Action, recipientId: string, at: number): void {
    a.pending.delete(recipientId);
    this.delivered++;
    this.latencies.push([a.kind, at - a.startedAt]);
  }

  /** Waits until every carried-out action reached every recipient, or maxMs. */
  async settle(maxMs: number): Promise<void> {
    const deadline = performance.now() + maxMs;
    const outstanding = () => [...this.actions.values()].some((a) => !a.failed && !a.refused && (!a.done || a.pending.size > 0));
    while (outstanding() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }

  summary(maxLost = 50): ChangeSummary {
    const actions = Object.fromEntries(ACTION_KINDS.map((k) => [k, 0])) as Record<ActionKind, number>;
    let refused = 0;
    let failed = 0;
    let expected = 0;
    let lost = 0;
    const lostDeliveries: LostDelivery[] = [];
    for (const a of this.actions.values()) {
      if (a.refused) refused++;
      else if (a.failed || !a.done) failed++;
      else {
        actions[a.kind]++;
        expected += a.expected;
        lost += a.pending.size;
        for (const recipientId of a.pending) if (lostDeliveries.length < maxLost) lostDeliveries.push(this.lostDelivery(a, recipientId));
      }
    }
    const byKind = Object.fromEntries(ACTION_KINDS.map((k) => [k, summarize(this.latencies.filter(([kind]) => kind === k).map(([, ms]) => ms))])) as Record<ActionKind, LatencySummary>;
    return { actions, refused, failed, expected, delivered: this.delivered, lost, latencyMs: summarize(this.latencies.map(([, ms]) => ms)), latencyByKindMs: byKind, shownBeforeAnswer: this.shownBeforeAnswer, lostDeliveries };
  }

  private lostDelivery(a: Action, recipientId: string): LostDelivery {
    const messageId = a.messageId ?? null;
    const seen = messageId === null ? undefined : this.seen.get(`${recipientId} ${messageId}`);
    const ms = (t: number) => Math.round(t - this.began);
    return {
      kind: a.kind,
      actorId: a.actorId,
      recipientId,
      messageId,
      conversationId: messageId === null ? null : (this.conversationOf.get(messageId) ?? null),
      eventSeq: a.eventSeq ?? null,
      startedAtMs: ms(a.startedAt),
      answeredAtMs: a.answeredAt === undefined ? null : ms(a.answeredAt),
      lastSeen: seen ? { eventSeq: seen.eventSeq, body: seen.body, deleted: seen.deleted, reactions: seen.reactions, states: (this.arrivals.get(`${recipientId} ${messageId}`) ?? []).map((s) => s.eventSeq), atMs: ms(seen.at) } : null,
    };
  }
}
