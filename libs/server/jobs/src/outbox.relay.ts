import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { FanoutQueue } from './fanout.queue';
import { OutboxRepository } from './outbox.repository';

/** Rows younger than this are probably being enqueued by the api that wrote them. */
const GRACE_MS = 1_000;
const BATCH = 500;

/**
 * Enqueues the fan-out of committed messages whose api died (or failed) between commit and
 * enqueue: on start, then every outboxSweepMs. Enqueueing twice is harmless (job id).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly queue: FanoutQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const tick = () => {
      this.running = this.sweep()
        .catch((err: unknown) => this.logger.warn(`outbox sweep failed: ${String(err)}`))
        .finally(() => {
          this.timer = setTimeout(tick, this.config.fanout.outboxSweepMs);
        });
    };
    tick();
  }

  /** Relays every stale row; returns how many. */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const ids = await this.outbox.olderThan(new Date(Date.now() - GRACE_MS), BATCH);
      if (ids.length === 0) break;
      await this.queue.enqueue(ids);
      await this.outbox.deleteMany(ids);
      total += ids.length;
      if (ids.length < BATCH) break;
    }
    if (total) this.logger.log(`relayed ${total} outbox row(s)`);
    return total;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    if (this.timer) clearTimeout(this.timer);
  }
}
