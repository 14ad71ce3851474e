import { eventSeqOf, TFanoutRange } from '@chatbox/contracts';
import { ConversationTurns } from './conversation-turns';

type Waiting = { range: TFanoutRange; outcome: Promise<boolean> };

/**
 * The api's deliveries of one conversation, one at a time (ConversationTurns), where the ranges
 * that arrive while one is delivered wait as one: each later range that continues the waiting one
 * joins it, and the next turn delivers them together.
 *
 * Why: a delivery costs the same few Redis round trips (claim, publish, finish) for one change as
 * for fifty, and at 800 msgs/s nearly every commit carried one change per conversation; under load
 * a delivery took 17-25 ms, so a busy group's turns (40 a second) queued without end (waits of
 * p50 94 / p99 492 ms, bench/README.md, "Deliveries joined while they wait"). Joined, a turn takes
 * whatever came during the one before it.
 */
export class RangeTurns {
  private readonly turns: ConversationTurns;
  /** Per conversation, the ranges waiting for its turn, in the order their turns will run. */
  private readonly waiting = new Map<string, Waiting[]>();

  constructor(maxWaitMs: number) {
    this.turns = new ConversationTurns(maxWaitMs);
  }

  /** Delivers `range` in its conversation's turn, joined with the ranges waiting beside it; answers that delivery's outcome. */
  run(range: TFanoutRange, deliver: (range: TFanoutRange) => Promise<boolean>): Promise<boolean> {
    const queue = this.waiting.get(range.conversationId) ?? [];
    const last = queue[queue.length - 1];
    if (last && continues(last.range, range)) {
      last.range = joined(last.range, range);
      return last.outcome;
    }
    const entry: Waiting = { range, outcome: Promise.resolve(false) };
    queue.push(entry);
    this.waiting.set(range.conversationId, queue);
    // the turn takes the entry out of the waiting ones as it starts: what comes after waits for the next
    entry.outcome = this.turns.run(range.conversationId, () => {
      this.leave(entry);
      return deliver(entry.range);
    });
    return entry.outcome;
  }

  private leave(entry: Waiting): void {
    const queue = this.waiting.get(entry.range.conversationId) ?? [];
    const at = queue.indexOf(entry);
    if (at < 0) return;
    queue.splice(at, 1);
    if (queue.length === 0) this.waiting.delete(entry.range.conversationId);
  }
}

/**
 * Whether `next` can be delivered as part of `range`: the same members, and its changes start
 * right after `range` ends, so the joined changes stay contiguous (a range's changes must be:
 * RangeDelivery reads only the gap before them from the database).
 */
export function continues(range: TFanoutRange, next: TFanoutRange): boolean {
  const first = next.changes?.[0];
  return range.changes !== undefined && first !== undefined && range.membersVersion === next.membersVersion && eventSeqOf(first) === range.eventSeq + 1;
}

const joined = (range: TFanoutRange, next: TFanoutRange): TFanoutRange => ({ ...range, eventSeq: next.eventSeq, changes: [...range.changes!, ...next.changes!] });
