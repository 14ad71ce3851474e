import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { eventSeqOf, FANOUT_QUEUE, TChange, TFanoutJob, TFanoutRange, ZFanoutJob } from '@chatbox/contracts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { MessageFanoutService } from '@chatbox/server-chat';
import { Metrics } from '@chatbox/server-observability';
import { RedisService } from '@chatbox/server-redis';
import { ConversationTurns } from './conversation-turns';
import { DeliveryCursor } from './delivery-cursor';
import { QueueRegistry } from './queue.registry';

/** How far back a job re-delivers when the cursor is missing (new conversation or lost key). */
const MAX_CATCH_UP = 100;
const LOCK_MS = 10_000;
const CONCURRENCY = 8;
/** Changes per delivery step of a long catch-up; the lock is extended between steps. */
const STEP = 100;

/**
 * Fans committed changes (new messages and changes to messages) out to their members' private
 * rooms, each conversation of the job side by side, each in eventSeq order (see DeliveryCursor,
 * whose cursor counts eventSeqs): everything after the cursor up to the range's eventSeq. The
 * changes a range carries need no database read; a gap before them (an earlier job not run yet,
 * a relayed job) is read from PostgreSQL, each message in its current state, in the order of
 * those states' eventSeqs, so each member's eventSeqs only rise (a superseded change is skipped,
 * a gap the client fills with changes?after=). A job that runs
 * twice, e.g. after a worker died mid-job, may deliver a change twice; clients drop duplicates
 * by message id and eventSeq.
 */
@Injectable()
export class FanoutProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FanoutProcessor.name);
  private worker?: Worker<TFanoutJob>;
  private readonly connection: Redis;
  private readonly cursor: DeliveryCursor;
  /** This process's jobs deliver a conversation one at a time, in the order they were taken. */
  private readonly turns = new ConversationTurns(LOCK_MS + 2_000);

  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly fanout: MessageFanoutService,
    private readonly metrics: Metrics,
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
    const { ranges } = ZFanoutJob.parse(job.data);
    if (job.processedOn && job.attemptsMade === 0) this.metrics.queueWait.observe(Math.max(0, job.processedOn - job.timestamp) / 1000);
    const results = await Promise.allSettled(ranges.map((range) => this.turns.run(range.conversationId, () => this.deliverRange(range))));
    // a retry skips the ranges delivered now: their cursors moved
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async deliverRange({ conversationId, eventSeq, membersVersion, changes }: TFanoutRange): Promise<void> {
    const queuedAt = Date.now();
    const claim = await this.cursor.claim(conversationId, eventSeq, LOCK_MS + 2_000);
    if (!claim) throw new Error(`conversation ${conversationId} stayed locked; will retry`);
    if (claim.covered) return;
    const waited = Date.now() - queuedAt;
    const started = Date.now();
    let from = claim.delivered ?? Math.max(0, eventSeq - MAX_CATCH_UP);
    try {
      const carried = changes ?? [];
      // the database fills the gap before what the job carries, in steps under the lock; a step
      // may reach past its end (a message created in it changed later), even past what the job
      // carries: the cursor moves to the highest eventSeq sent, and carried changes at or below
      // it are superseded by what was sent
      const firstCarried = carried.find((c) => eventSeqOf(c) > from);
      const gapEnd = firstCarried ? eventSeqOf(firstCarried) - 1 : eventSeq;
      while (from < gapEnd) {
        const step = await this.fanout.between(conversationId, from, Math.min(gapEnd, from + STEP));
        await this.fanout.deliver(conversationId, step.changes);
        this.count(step.changes);
        await this.cursor.advance(conversationId, step.reached);
        from = step.reached;
        // another job may not take over mid-way: order would break
        if (!(await claim.extend())) throw new Error(`lost the lock of conversation ${conversationId}; will retry`);
      }
      const rest = carried.filter((c) => eventSeqOf(c) > from);
      await this.fanout.deliver(conversationId, rest, membersVersion);
      this.count(rest);
      await claim.finish(eventSeq);
    } catch (err) {
      await claim.release();
      throw err;
    }
    const took = Date.now() - started;
    if (took + waited > 1_000) {
      this.logger.warn(`slow fan-out up to eventSeq ${eventSeq} of conversation ${conversationId}: ${waited} ms waiting, ${took} ms delivering`);
    }
  }

  /** Deliveries, and for new messages the lag from their storing to now. */
  private count(changes: readonly TChange[]): void {
    this.metrics.changesDelivered.inc(changes.length);
    const now = Date.now();
    for (const c of changes) if (c.kind === 'created') this.metrics.fanoutLag.observe(Math.max(0, now - Date.parse(c.message.createdAt)) / 1000);
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    this.connection.disconnect();
  }
}
