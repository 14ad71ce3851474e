import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { FanoutQueue } from './fanout.queue';
import type { TFanoutRange } from '@chatbox/contracts';
import { OutboxEntry, OutboxRepository } from './outbox.repository';

/** Rows younger than this are probably being enqueued by the api that wrote them. */
const GRACE_MS = 1_000;
const BATCH = 500;

/**
 * Enqueues the fan-out of committed changes whose api died (or failed) between commit and
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
      const entries = await this.outbox.olderThan(new Date(Date.now() - GRACE_MS), BATCH);
      if (entries.length === 0) break;
      const ranges = newestPerConversation(entries);
      if (ranges.length > 0) await this.queue.enqueue({ ranges });
      await this.outbox.deleteMany(entries);
      total += entries.length;
      if (entries.length < BATCH) break;
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

/** One range per conversation, up to its newest eventSeq: it delivers the earlier ones too. */
function newestPerConversation(entries: readonly OutboxEntry[]): TFanoutRange[] {
  const newest = new Map<string, number>();
  for (const { conversationId, eventSeq } of entries) newest.set(conversationId, Math.max(eventSeq, newest.get(conversationId) ?? 0));
  return [...newest].map(([conversationId, eventSeq]) => ({ conversationId, eventSeq }));
}
