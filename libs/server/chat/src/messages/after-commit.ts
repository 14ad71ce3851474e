import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { FANOUT_SCHEDULER, FanoutScheduler, StoredChange, StoredMessage } from './fanout-scheduler.port';

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
      await this.fanout.schedule(changes);
    } catch (err) {
      // committed and in the outbox: the relay enqueues them; the writers still get their answers
      this.logger.warn(`enqueue of ${changes.length} change(s) failed, left to the outbox relay: ${String(err)}`);
    }
  }
}

/** A stored message as the change that created it. */
export const created = (stored: StoredMessage): StoredChange => ({ kind: 'created', ...stored });
