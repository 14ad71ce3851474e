import { Logger } from '@nestjs/common';
import { eventSeqOf, TChange, TFanoutRange } from '@chatbox/contracts';
import type { MessageFanoutService } from '@chatbox/server-chat';
import type { Metrics } from '@chatbox/server-observability';
import { DeliveryCursor } from './delivery-cursor';

/** How far back a range re-delivers when the cursor is missing (new conversation or lost key). */
const MAX_CATCH_UP = 100;
/** A conversation's delivery lock lives this long unless extended (a holder that died frees it). */
export const LOCK_MS = 10_000;
/** Changes per delivery step of a long catch-up; the lock is extended between steps. */
const STEP = 100;

/** What became of a range: delivered (or found delivered already), or left to someone else. */
export type RangeOutcome = 'delivered' | 'locked';

/**
 * Delivers one conversation's range of committed changes to its members, in eventSeq order
 * (see DeliveryCursor, whose cursor counts eventSeqs): everything after the cursor up to the
 * range's eventSeq. The changes a range carries need no database read; a gap before them (an
 * earlier batch not delivered yet, a relayed job) is read from PostgreSQL, each message in its
 * current state, in the order of those states' eventSeqs, so each member's eventSeqs only rise
 * (a superseded change is skipped, a gap the client fills with changes?after=). Run twice, e.g.
 * after a process died mid-range, it may deliver a change twice; clients drop duplicates by
 * message id and eventSeq.
 *
 * Used by the fan-out worker (jobs, waiting for the lock) and by the api right after its commit
 * (not waiting: a range whose lock another process holds goes to the worker as a job).
 */
export class RangeDelivery {
  private readonly logger = new Logger(RangeDelivery.name);

  constructor(
    private readonly cursor: DeliveryCursor,
    private readonly fanout: MessageFanoutService,
    private readonly metrics: Metrics,
  ) {}

  /**
   * @param lockWaitMs how long to wait for a conversation another process is delivering; 0 to
   * answer `locked` at once. Throws when delivery failed (the lock is released) or the wait timed out.
   */
  async deliver({ conversationId, eventSeq, membersVersion, changes }: TFanoutRange, lockWaitMs: number): Promise<RangeOutcome> {
    const queuedAt = Date.now();
    const claim = await this.cursor.claim(conversationId, eventSeq, lockWaitMs);
    if (!claim) {
      if (lockWaitMs === 0) return 'locked';
      throw new Error(`conversation ${conversationId} stayed locked; will retry`);
    }
    if (claim.covered) return 'delivered';
    const waited = Date.now() - queuedAt;
    const started = Date.now();
    let from = claim.delivered ?? Math.max(0, eventSeq - MAX_CATCH_UP);
    try {
      const carried = changes ?? [];
      // the database fills the gap before what the range carries, in steps under the lock; a
      // step may reach past its end (a message created in it changed later), even past what the
      // range carries: the cursor moves to the highest eventSeq sent, and carried changes at or
      // below it are superseded by what was sent
      const firstCarried = carried.find((c) => eventSeqOf(c) > from);
      const gapEnd = firstCarried ? eventSeqOf(firstCarried) - 1 : eventSeq;
      while (from < gapEnd) {
        const step = await this.fanout.between(conversationId, from, Math.min(gapEnd, from + STEP));
        await this.fanout.deliver(conversationId, step.changes);
        this.count(step.changes);
        await this.cursor.advance(conversationId, step.reached);
        from = step.reached;
        // another process may not take over mid-way: order would break
        if (!(await claim.extend())) throw new Error(`lost the lock of conversation ${conversationId}; will retry`);
      }
      const rest = carried.filter((c) => eventSeqOf(c) > from);
      await this.fanout.deliver(conversationId, rest, membersVersion);
      this.count(rest);
      await claim.finish(eventSeq);
    } catch (err) {
      await claim.release().catch(() => undefined);
      throw err;
    }
    const took = Date.now() - started;
    if (took + waited > 1_000) {
      this.logger.warn(`slow fan-out up to eventSeq ${eventSeq} of conversation ${conversationId}: ${waited} ms waiting, ${took} ms delivering`);
    }
    return 'delivered';
  }

  /** Deliveries, and for new messages the lag from their storing to now. */
  private count(changes: readonly TChange[]): void {
    this.metrics.changesDelivered.inc(changes.length);
    const now = Date.now();
    for (const c of changes) if (c.kind === 'created') this.metrics.fanoutLag.observe(Math.max(0, now - Date.parse(c.message.createdAt)) / 1000);
  }
}
