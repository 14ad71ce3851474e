import { Inject, Injectable, Logger } from '@nestjs/common';
import { FANOUT_SCHEDULER, FanoutScheduler, StoredChange } from '../messages/fanout-scheduler.port';
import type { Db } from '../persistence/transaction.runner';
import { NewNotice, NoticeRepository } from './notice.repository';

/**
 * A group's membership changes as notices of its conversation: recorded in the change's
 * transaction (a change of the stream, with its eventSeq and outbox row), fanned out after
 * commit through the same queue as messages, so members get them in stream order.
 */
@Injectable()
export class MembershipNotices {
  private readonly logger = new Logger(MembershipNotices.name);

  constructor(
    private readonly notices: NoticeRepository,
    @Inject(FANOUT_SCHEDULER) private readonly fanout: FanoutScheduler,
  ) {}

  /** Records the notices in order, in the membership change's transaction. */
  async record(tx: Db, conversationId: string, notices: readonly NewNotice[]): Promise<StoredChange[]> {
    const stored: StoredChange[] = [];
    for (const notice of notices) stored.push(await this.notices.record(tx, conversationId, notice));
    return stored;
  }

  /** A new group's `created` notice (eventSeq 0: nothing to fan out), in its creation's transaction. */
  recordCreation(tx: Db, conversationId: string, ownerId: string, memberIds: readonly string[]): Promise<void> {
    return this.notices.recordCreation(tx, conversationId, { kind: 'created', actorId: ownerId, userIds: memberIds });
  }

  /** After commit: schedules their fan-out; never throws (the outbox relay covers a failure). */
  async announce(stored: readonly StoredChange[]): Promise<void> {
    if (stored.length === 0) return;
    try {
      await this.fanout.schedule(stored);
    } catch (err) {
      this.logger.warn(`enqueue of ${stored.length} notice(s) failed, left to the outbox relay: ${String(err)}`);
    }
  }
}
