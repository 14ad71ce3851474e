import { performance } from 'node:perf_hooks';
import type { TMessage } from '@chatbox/contracts';
import { LatencySummary, summarize } from '../lib/stats';

export const ACTION_KINDS = ['message', 'reply', 'edit', 'reaction', 'delete'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** Whether a message state a recipient got shows the action (or a later state that includes it). */
export type Shows = (m: TMessage) => boolean;

type Action = { kind: ActionKind; startedAt: number; pending: Set<string>; expected: number; done: boolean; failed: boolean; refused: boolean };

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
};

/**
 * Follows mixed actions (sends, replies, edits, reactions, deletes) to every member's socket:
 * an action reaches a recipient with the first `message` / `message:updated` event, for the
 * message it acted on, whose state shows it (see `Shows`: a later state that includes it counts,
 * since a fan-out that fills a gap from the database sends current states). Latency is from
 * the start of the action (the send or the REST call) to that event.
 */
export class ChangeTracker {
  private readonly actions = new Map<string, Action>();
  /** messageId (or clientMsgId before the ack) -> the actions still waiting on it and how each shows. */
  private readonly watching = new Map<string, Array<{ id: string; shows: Shows }>>();
  private readonly latencies: Array<[ActionKind, number]> = [];
  private delivered = 0;
  private next = 0;

  /** Call right before the action; returns its id. Recipients exclude the actor. */
  start(kind: ActionKind, key: string, recipientIds: readonly string[], shows: Shows): string {
    const id = String(++this.next);
    this.actions.set(id, { kind, startedAt: performance.now(), pending: new Set(recipientIds), expected: recipientIds.length, done: false, failed: false, refused: false });
    const list = this.watching.get(key) ?? [];
    list.push({ id, shows });
    this.watching.set(key, list);
    return id;
  }

  done(id: string): void {
    const a = this.actions.get(id);
    if (a) a.done = true;
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
        if (a.pending.size === 0) reached++;
        if (!a.pending.has(recipientId) || !w.shows(message)) continue;
        a.pending.delete(recipientId);
        this.delivered++;
        this.latencies.push([a.kind, performance.now() - a.startedAt]);
      }
      // a message's every edit and reaction stays watched otherwise, and each delivery would test them all
      if (reached > 8) this.watching.set(key, list.filter((w) => this.actions.get(w.id)!.pending.size > 0));
    }
    return mine;
  }

  /** Waits until every carried-out action reached every recipient, or maxMs. */
  async settle(maxMs: number): Promise<void> {
    const deadline = performance.now() + maxMs;
    const outstanding = () => [...this.actions.values()].some((a) => !a.failed && !a.refused && (!a.done || a.pending.size > 0));
    while (outstanding() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }

  summary(): ChangeSummary {
    const actions = Object.fromEntries(ACTION_KINDS.map((k) => [k, 0])) as Record<ActionKind, number>;
    let refused = 0;
    let failed = 0;
    let expected = 0;
    let lost = 0;
    for (const a of this.actions.values()) {
      if (a.refused) refused++;
      else if (a.failed || !a.done) failed++;
      else {
        actions[a.kind]++;
        expected += a.expected;
        lost += a.pending.size;
      }
    }
    const byKind = Object.fromEntries(ACTION_KINDS.map((k) => [k, summarize(this.latencies.filter(([kind]) => kind === k).map(([, ms]) => ms))])) as Record<ActionKind, LatencySummary>;
    return { actions, refused, failed, expected, delivered: this.delivered, lost, latencyMs: summarize(this.latencies.map(([, ms]) => ms)), latencyByKindMs: byKind };
  }
}
