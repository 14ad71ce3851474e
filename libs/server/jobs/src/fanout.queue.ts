import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { FANOUT_QUEUE, fanoutJobId, TFanoutJob } from '@chatbox/contracts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import type { FanoutScheduler, StoredMessage } from '@chatbox/server-chat';
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
  ) {
    this.connection = redis.connect('bullmq-producer');
    this.queue = new Queue<TFanoutJob>(FANOUT_QUEUE, {
      connection: this.connection,
      prefix: config.redisPrefix,
      defaultJobOptions: FANOUT_JOB_OPTIONS,
    });
  }

  /** One job with a range per conversation (carrying its messages), one outbox delete. */
  async schedule(stored: readonly StoredMessage[]): Promise<void> {
    if (stored.length === 0) return;
    const byConversation = new Map<string, StoredMessage[]>();
    for (const item of [...stored].sort((a, b) => a.message.seq - b.message.seq)) {
      const list = byConversation.get(item.message.conversationId);
      if (list) list.push(item);
      else byConversation.set(item.message.conversationId, [item]);
    }
    const ranges = [...byConversation].map(([conversationId, items]) => {
      const newest = items[items.length - 1];
      return { conversationId, seq: newest.message.seq, membersVersion: newest.membersVersion, messages: items.map((i) => i.message) };
    });
    await this.enqueue({ ranges });
    await this.outbox.deleteMany(stored.map((s) => s.message.id));
  }

  async enqueue(job: TFanoutJob): Promise<void> {
    await this.queue.add('fanout', job, { jobId: fanoutJobId(job) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
