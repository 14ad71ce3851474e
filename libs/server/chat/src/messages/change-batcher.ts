import { Inject, Injectable, Logger } from '@nestjs/common';
import { LIMITS } from '@chatbox/contracts';
import { answerWithin, AppError, isDatabaseUnavailable } from '@chatbox/server-common';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { AfterCommit } from './after-commit';
import { GroupCommit, USEFUL_BATCH, Waiting } from './group-commit';
import { ChangeOutcome, ChangeRequest, MessageChangeRepository } from './message-change.repository';

type Pending = Waiting<ChangeRequest, ChangeOutcome>;

/**
 * Group commit for changes to messages (edits, deletes, reactions), as for sends (see
 * GroupCommit; the same adaptive window, SEND_BATCH_WINDOW_MS only while changes arrive fast
 * enough to fill USEFUL_BATCH in it, so an edit on a quiet server waits for no timer): the
 * changes of a batch are stored in one
 * statement and one commit, and their fan-out is one enqueue, one outbox delete and one job, so a
 * burst of reactions costs a few statements and emits rather than one round trip each, and holds
 * each conversation's row lock once per batch instead of once per change (the send batches wait
 * for that lock).
 *
 * submit() resolves with the change's outcome once it is committed and its fan-out is enqueued,
 * or rejects `unavailable` after SEND_ANSWER_MS, as a send does: a statement on a connection
 * that carries nothing would otherwise hold the writers until TCP gives up. The change may then
 * still be stored; every change is idempotent (the same edit, the same reaction, a delete), so
 * the client's retry is safe.
 */
@Injectable()
export class ChangeBatcher {
  private readonly logger = new Logger(ChangeBatcher.name);
  private readonly commit: GroupCommit<ChangeRequest, ChangeOutcome>;
  private readonly answerMs: number;

  constructor(
    private readonly changes: MessageChangeRepository,
    private readonly afterCommit: AfterCommit,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.answerMs = config.sendAnswerMs;
    this.commit = new GroupCommit((batch) => this.store(batch), config.fanout.sendBatchWindowMs, 'Too many changes are waiting to be stored; try again in a moment.', {
      usefulBatch: USEFUL_BATCH,
    });
  }

  submit(request: ChangeRequest): Promise<ChangeOutcome> {
    return answerWithin(this.commit.submit(request), this.answerMs, () => AppError.unavailable('The change could not be stored in time; try it again.'));
  }

  /** Resolves when the statement is done; answering the writers continues after that. */
  private async store(batch: Pending[]): Promise<void> {
    let outcomes: ChangeOutcome[];
    try {
      // a statement its writers no longer wait for gives its connection back (as a send batch's)
      outcomes = await this.changes.applyBatch(batch.map((p) => p.item), LIMITS.reactionsPerMessageMax, { timeoutMs: this.answerMs });
    } catch (err) {
      if (isDatabaseUnavailable(err) || batch.length === 1) {
        batch.forEach((p) => p.reject(err));
        return;
      }
      // nothing was stored; each change alone, so only the one that fails answers with the error
      this.logger.warn(`batch of ${batch.length} changes failed, applying them one by one: ${String(err)}`);
      await Promise.all(batch.map((p) => this.store([p])));
      return;
    }
    void this.answer(batch, outcomes);
  }

  private async answer(batch: Pending[], outcomes: ChangeOutcome[]): Promise<void> {
    await this.afterCommit.fanOut(outcomes.flatMap((o) => (o.outcome === 'changed' ? [o.change] : [])));
    batch.forEach((p, i) => p.resolve(outcomes[i]));
  }
}
