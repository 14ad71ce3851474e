import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { FANOUT_QUEUE, TFanoutJob, ZFanoutJob } from '@chatbox/contracts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { MessageFanoutService } from '@chatbox/server-chat';
import { RedisService } from '@chatbox/server-redis';
import { DeliveryCursor } from './delivery-cursor';
import { QueueRegistry } from './queue.registry';

/** How far back a job re-delivers when the cursor is missing (new conversation or lost key). */
const MAX_CATCH_UP = 100;
const LOCK_MS = 10_000;
const CONCURRENCY = 8;

/**
 * Fans one committed message out to its conversation's members' private rooms, in seq order
 * (see DeliveryCursor). A job that runs twice, e.g. after a worker died mid-job, may deliver a
 * message twice; clients drop duplicates by message id.
 */
@Injectable()
export class FanoutProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FanoutProcessor.name);
  private worker?: Worker<TFanoutJob>;
  private readonly connection: Redis;
  private readonly cursor: DeliveryCursor;

  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly fanout: MessageFanoutService,
    registry: QueueRegistry,
  ) {
    registry.register(FANOUT_QUEUE);
    this.connection = redis.connect('bullmq-worker', { maxRetriesPerRequest: null });
    this.cursor = new DeliveryCursor(redis.client, config.redisPrefix, LOCK_MS);
  }

  onApplicationBootstrap(): void {
    this.worker = new Worker<TFanoutJob>(FANOUT_QUEUE, (job) => this.process(job), {
      connection: this.connection,
      prefix: this.config.redisPrefix,
      concurrency: CONCURRENCY,
      // a killed worker's active jobs come back within seconds, not the default 30 s
      lockDuration: 10_000,
      stalledInterval: 5_000,
      maxStalledCount: 5,
    });
    this.worker.on('failed', (job, err) => this.logger.warn(`fanout job ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`));
    this.worker.on('error', (err) => this.logger.error(`fanout worker: ${err.message}`));
  }

  async process(job: Job<TFanoutJob>): Promise<void> {
    const { messageId } = ZFanoutJob.parse(job.data);
    const message = await this.fanout.findMessage(messageId);
    if (!message) return; // its conversation was deleted: nobody to tell
    // covered by a later message's job already: no need to queue on the lock
    if (((await this.cursor.delivered(message.conversationId)) ?? -1) >= message.seq) return;
    const queuedAt = Date.now();
    const release = await this.cursor.lock(message.conversationId, LOCK_MS + 2_000);
    const waited = Date.now() - queuedAt;
    if (!release) throw new Error(`conversation ${message.conversationId} stayed locked; will retry`);
    try {
      const delivered = await this.cursor.delivered(message.conversationId);
      if (delivered !== null && delivered >= message.seq) return;
      const from = delivered ?? Math.max(0, message.seq - MAX_CATCH_UP);
      const started = Date.now();
      const { messages, recipients } = await this.fanout.deliverRange(message.conversationId, from, message.seq);
      await this.cursor.advance(message.conversationId, message.seq);
      const took = Date.now() - started;
      if (took + waited > 1_000) {
        this.logger.warn(`slow fan-out of ${job.id}: ${waited} ms waiting for conversation ${message.conversationId}, ${took} ms delivering ${messages} message(s) to ${recipients} member(s)`);
      }
    } finally {
      await release();
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    this.connection.disconnect();
  }
}
