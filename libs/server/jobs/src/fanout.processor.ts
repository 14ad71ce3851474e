import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { FANOUT_QUEUE, TFanoutJob, ZFanoutJob } from '@chatbox/contracts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { MessageFanoutService } from '@chatbox/server-chat';
import { Metrics } from '@chatbox/server-observability';
import { RedisService } from '@chatbox/server-redis';
import { ConversationTurns } from './conversation-turns';
import { DeliveryCursor } from './delivery-cursor';
import { QueueRegistry } from './queue.registry';
import { LOCK_MS, RangeDelivery } from './range-delivery';

const CONCURRENCY = 8;

/**
 * Fans committed changes (new messages and changes to messages) out to their members' private
 * rooms, each conversation of the job side by side, each in eventSeq order (RangeDelivery). The
 * api delivers most ranges itself right after its commit (ApiFanout); jobs carry the rest: the
 * ranges whose conversation another process was delivering, and those the outbox relay found.
 */
@Injectable()
export class FanoutProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FanoutProcessor.name);
  private worker?: Worker<TFanoutJob>;
  private readonly connection: Redis;
  private readonly ranges: RangeDelivery;
  /** This process's jobs deliver a conversation one at a time, in the order they were taken. */
  private readonly turns = new ConversationTurns(LOCK_MS + 2_000);

  constructor(
    redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    fanout: MessageFanoutService,
    private readonly metrics: Metrics,
    registry: QueueRegistry,
  ) {
    registry.register(FANOUT_QUEUE);
    this.connection = redis.connect('bullmq-worker', { maxRetriesPerRequest: null });
    this.ranges = new RangeDelivery(new DeliveryCursor(redis.client, config.redisPrefix, LOCK_MS), fanout, metrics);
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
    const { ranges } = ZFanoutJob.parse(job.data);
    if (job.processedOn && job.attemptsMade === 0) this.metrics.queueWait.observe(Math.max(0, job.processedOn - job.timestamp) / 1000);
    const results = await Promise.allSettled(ranges.map((range) => this.turns.run(range.conversationId, () => this.ranges.deliver(range, LOCK_MS + 2_000))));
    // a retry skips the ranges delivered now: their cursors moved
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    this.connection.disconnect();
  }
}
