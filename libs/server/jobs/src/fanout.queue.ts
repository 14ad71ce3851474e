import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { FANOUT_QUEUE, fanoutJobId, TFanoutJob } from '@chatbox/contracts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import type { FanoutScheduler } from '@chatbox/server-chat';
import { RedisService } from '@chatbox/server-redis';
import { OutboxRepository } from './outbox.repository';

/** Retries with backoff; completed jobs are kept a while so a re-add with the same id is a no-op. */
export const FANOUT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 200 },
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
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

  async schedule(messageId: string): Promise<void> {
    await this.enqueue([messageId]);
    await this.outbox.delete(messageId);
  }

  /** One round trip for many jobs; the job id makes a repeat harmless. */
  async enqueue(messageIds: readonly string[]): Promise<void> {
    if (messageIds.length === 0) return;
    await this.queue.addBulk(
      messageIds.map((messageId) => ({ name: 'fanout', data: { messageId }, opts: { jobId: fanoutJobId(messageId) } })),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
