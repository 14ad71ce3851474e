import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { FANOUT_QUEUE, fanoutJobId, TFanoutJob } from '@chatbox/contracts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import type { FanoutScheduler, StoredChange } from '@chatbox/server-chat';
import { Metrics } from '@chatbox/server-observability';
import { RedisService } from '@chatbox/server-redis';
import { OutboxRepository } from './outbox.repository';

/**
 * Retries with backoff. Completed jobs need not be kept: a job that comes again finds its seq
 * delivered (DeliveryCursor) and does nothing.
 */
export const FANOUT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 200 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

/** The producer side of the fan-out queue, used by the api (after commit) and the outbox relay. */
@Injectable()
export class FanoutQueue implements FanoutScheduler, OnModuleDestroy {
  readonly queue: Queue<TFanoutJob>;
  private readonly connection: Redis;

  constructor(
    redis: RedisService,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly outbox: OutboxRepository,
    private readonly metrics: Metrics,
  ) {
    this.connection = redis.connect('bullmq-producer');
    this.queue = new Queue<TFanoutJob>(FANOUT_QUEUE, {
      connection: this.connection,
      prefix: config.redisPrefix,
      defaultJobOptions: FANOUT_JOB_OPTIONS,
    });
    metrics.gauge('chatbox_fanout_queue_jobs', 'Fan-out jobs by state (waiting, active, delayed, failed)', ['state'], async (set) => {
      const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
      for (const [state, n] of Object.entries(counts)) set({ state }, n);
    });
    metrics.gauge('chatbox_outbox_backlog', 'Committed changes whose fan-out is not yet scheduled (FanoutOutbox rows)', [], async (set) => set({}, await outbox.count()));
  }

  /** One job with a range per conversation (carrying its changes), one outbox delete. */
  async schedule(changes: readonly StoredChange[]): Promise<void> {
    if (changes.length === 0) return;
    const byConversation = new Map<string, StoredChange[]>();
    for (const change of [...changes].sort((a, b) => a.message.eventSeq - b.message.eventSeq)) {
      const list = byConversation.get(change.message.conversationId);
      if (list) list.push(change);
      else byConversation.set(change.message.conversationId, [change]);
    }
    const ranges = [...byConversation].map(([conversationId, items]) => {
      const newest = items[items.length - 1];
      return {
        conversationId,
        eventSeq: newest.message.eventSeq,
        membersVersion: newest.membersVersion,
        changes: items.map(({ kind, message }) => ({ kind, message })),
      };
    });
    await this.enqueue({ ranges });
    this.metrics.messagesStored.inc(changes.filter((c) => c.kind === 'created').length);
    await this.outbox.deleteMany(changes.map((c) => ({ conversationId: c.message.conversationId, eventSeq: c.message.eventSeq })));
  }

  async enqueue(job: TFanoutJob): Promise<void> {
    await this.queue.add('fanout', job, { jobId: fanoutJobId(job) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
