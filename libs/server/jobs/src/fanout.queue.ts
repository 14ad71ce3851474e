import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { conversationIdOf, eventSeqOf, FANOUT_QUEUE, fanoutJobId, TChange, TFanoutJob, TFanoutRange } from '@chatbox/contracts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import type { StoredChange } from '@chatbox/server-chat';
import { Metrics } from '@chatbox/server-observability';
import { RedisService } from '@chatbox/server-redis';
import { OutboxEntry, OutboxRepository } from './outbox.repository';

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

/** The producer side of the fan-out queue, used by the api (ApiFanout) and the outbox relay. */
@Injectable()
export class FanoutQueue implements OnModuleDestroy {
  readonly queue: Queue<TFanoutJob>;
  private readonly connection: Redis;

  constructor(
    redis: RedisService,
    @Inject(APP_CONFIG) config: AppConfig,
    outbox: OutboxRepository,
    metrics: Metrics,
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

  async enqueue(job: TFanoutJob): Promise<void> {
    await this.queue.add('fanout', job, { jobId: fanoutJobId(job) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}

/** One range per conversation, carrying its changes in eventSeq order, named by the newest. */
export function rangesOf(changes: readonly StoredChange[]): TFanoutRange[] {
  const byConversation = new Map<string, StoredChange[]>();
  for (const change of [...changes].sort((a, b) => eventSeqOf(a) - eventSeqOf(b))) {
    const list = byConversation.get(conversationIdOf(change));
    if (list) list.push(change);
    else byConversation.set(conversationIdOf(change), [change]);
  }
  return [...byConversation].map(([conversationId, items]) => {
    const newest = items[items.length - 1];
    return { conversationId, eventSeq: eventSeqOf(newest), membersVersion: newest.membersVersion, changes: items.map(withoutRecipients) };
  });
}

export const outboxEntriesOf = (changes: readonly StoredChange[]): OutboxEntry[] => changes.map((c) => ({ conversationId: conversationIdOf(c), eventSeq: eventSeqOf(c) }));

/** The change as a job carries it (the range names the recipients once). */
const withoutRecipients = (c: StoredChange): TChange => (c.kind === 'notice' ? { kind: c.kind, notice: c.notice } : { kind: c.kind, message: c.message });
