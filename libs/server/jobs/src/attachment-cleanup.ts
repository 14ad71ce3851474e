import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Queue, QueueEvents, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { ATTACHMENT_CLEANUP_QUEUE } from '@chatbox/contracts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { AttachmentPurger } from '@chatbox/server-chat';
import { RedisService } from '@chatbox/server-redis';
import { QueueRegistry } from './queue.registry';

/** The job scheduler's id: every worker upserts the same one, so it runs once per interval. */
export const ATTACHMENT_CLEANUP_SCHEDULER = 'attachment-cleanup';

/** Often enough that an unsent upload outlives UPLOAD_ORPHAN_MAX_AGE_SECONDS by at most half of it (at most 10 minutes). */
export const cleanupIntervalMs = (orphanMaxAgeSeconds: number): number => Math.max(1_000, Math.min(600_000, (orphanMaxAgeSeconds * 1000) / 2));

/**
 * The scheduled attachment cleanup (a BullMQ job scheduler, in the worker): uploads never sent
 * within UPLOAD_ORPHAN_MAX_AGE_SECONDS are removed, and so are the bytes a message's delete left
 * behind (see AttachmentPurger). A run that fails is retried by the next one.
 */
@Injectable()
export class AttachmentCleanup implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AttachmentCleanup.name);
  /** The queue's connection and the worker's (blocking reads), as the fan-out queue and processor have. */
  private readonly connection: Redis;
  private readonly workerConnection: Redis;
  private readonly queue: Queue;
  private worker?: Worker;

  constructor(
    redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly purger: AttachmentPurger,
    registry: QueueRegistry,
  ) {
    registry.register(ATTACHMENT_CLEANUP_QUEUE);
    this.connection = redis.connect('bullmq-attachment-cleanup');
    this.workerConnection = redis.connect('bullmq-attachment-cleanup-worker', { maxRetriesPerRequest: null });
    this.queue = new Queue(ATTACHMENT_CLEANUP_QUEUE, { connection: this.connection, prefix: config.redisPrefix });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.worker = new Worker(ATTACHMENT_CLEANUP_QUEUE, () => this.run(), { connection: this.workerConnection, prefix: this.config.redisPrefix, concurrency: 1 });
    this.worker.on('failed', (_job, err) => this.logger.warn(`attachment cleanup failed (the next run retries): ${err.message}`));
    this.worker.on('error', (err) => this.logger.error(`attachment cleanup worker: ${err.message}`));
    await this.queue.upsertJobScheduler(
      ATTACHMENT_CLEANUP_SCHEDULER,
      { every: cleanupIntervalMs(this.config.storage.orphanMaxAgeSeconds) },
      { name: 'sweep', opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }

  /** One run now, waited for (operations and tests); the scheduled runs go on. */
  async runNow(): Promise<{ orphaned: number; removed: number }> {
    // a connection of its own (QueueEvents blocks on it), closed with it: BullMQ leaves a given connection open
    const connection = this.workerConnection.duplicate();
    const events = new QueueEvents(ATTACHMENT_CLEANUP_QUEUE, { connection, prefix: this.config.redisPrefix });
    try {
      await events.waitUntilReady();
      const job = await this.queue.add('sweep', {}, { removeOnComplete: 100 });
      return (await job.waitUntilFinished(events)) as { orphaned: number; removed: number };
    } finally {
      await events.close();
      connection.disconnect();
    }
  }

  /** The job: sweep with this worker's configured age. */
  private async run(): Promise<{ orphaned: number; removed: number }> {
    const result = await this.purger.sweep(this.config.storage.orphanMaxAgeSeconds);
    if (result.removed > 0) this.logger.log(`attachment cleanup: ${result.orphaned} unsent uploads expired, ${result.removed} attachments' bytes removed`);
    return result;
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    this.workerConnection.disconnect();
    await this.queue.close();
    this.connection.disconnect();
  }
}
