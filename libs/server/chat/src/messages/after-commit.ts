import { Inject, Injectable, Logger } from '@nestjs/common';
import { answerWithin } from '@chatbox/server-common';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { FANOUT_SCHEDULER, FanoutScheduler, StoredChange, StoredMessage } from './fanout-scheduler.port';

/**
 * How long a writer's answer waits for its changes' fan-out to be handed on (delivered or
 * enqueued). A Redis connection that is cut holds its commands until it is back; the changes
 * are committed and in the outbox, whose relay hands them on without the writer.
 */
export const HANDOFF_WAIT_MS = 2_000;

/** What every write does once its changes are committed: enqueue their fan-out. */
@Injectable()
export class AfterCommit {
  private readonly logger = new Logger(AfterCommit.name);

  constructor(
    @Inject(FANOUT_SCHEDULER) private readonly fanout: FanoutScheduler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Enqueues the fan-out of committed changes, however they were stored; never throws. */
  async fanOut(changes: readonly StoredChange[]): Promise<void> {
    if (changes.length === 0) return;
    if (this.config.testHooks.crashAfterCommit) {
      this.logger.warn(`test hook: exiting after commit of ${changes.length} change(s)`);
      process.exit(75);
    }
    try {
      await answerWithin(this.fanout.schedule(changes), HANDOFF_WAIT_MS, () => new Error(`not handed on within ${HANDOFF_WAIT_MS} ms`));
    } catch (err) {
      // committed and in the outbox: the relay enqueues them; the writers still get their answers
      this.logger.warn(`enqueue of ${changes.length} change(s) failed, left to the outbox relay: ${String(err)}`);
    }
  }
}

/** A stored message as the change that created it. */
export const created = (stored: StoredMessage): StoredChange => ({ kind: 'created', ...stored });
