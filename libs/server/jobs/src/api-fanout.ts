import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { TFanoutRange } from '@chatbox/contracts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { FanoutScheduler, GroupCommit, MessageFanoutService, StoredChange, Waiting } from '@chatbox/server-chat';
import { Metrics } from '@chatbox/server-observability';
import { RedisService } from '@chatbox/server-redis';
import { DeliveryCursor } from './delivery-cursor';
import { FanoutQueue, outboxEntriesOf, rangesOf } from './fanout.queue';
import { OutboxEntry, OutboxRepository } from './outbox.repository';
import { LOCK_MS, RangeDelivery } from './range-delivery';
import { RangeTurns } from './range-turns';

/**
 * The api's FanoutScheduler: the process that committed the changes delivers them itself, at
 * once, instead of handing them to the worker through a queue (a BullMQ job costs an enqueue
 * script, the worker's poll, its move to active and to completed: several Redis round trips and
 * two processes' event loops between a commit and the recipients' sockets).
 *
 * The promises are the worker's, by the same code (RangeDelivery): a conversation is delivered
 * under its Redis lock from its cursor, so in eventSeq order whoever delivers it; a range whose
 * lock another process holds goes to the worker as a job (which waits for the lock), as does a
 * range whose delivery failed. The outbox row, written in the commit, is deleted only once its
 * change was delivered or enqueued: if this process dies in between, the worker's outbox relay
 * enqueues it. FANOUT_IN_API=false restores the queue for every range.
 *
 * It delivers whatever its load: handing a range to the worker does not take its frames off the api (the
 * worker publishes them through Redis and every api still writes them to its sockets), it adds a
 * job's Redis scripts, the worker's turn and a decode per api. Until the sixteenth session a busy
 * api (event loop over 50 % utilized) handed its ranges over, which made sense before deliveries
 * of one conversation were joined while they wait (RangeTurns); measured since on the 2-core
 * machine, alternately: phase E at 1,000 actions/s handed over ~460 jobs a second, and delivering
 * them in the api took 12 % of the machine less (worker 6.1 -> 0.2 CPU s, api +1.8) with p50 10-11
 * -> 7-8 ms; phase A sustained 3,200 msgs/s in 4 runs of 6 (handing off: 2,000 in all 10 of the
 * sitting). See bench/README.md, sixteenth session.
 */
/**
 * Outbox rows of delivered (or enqueued) changes are deleted together, one statement per this
 * many ms at most: at low load a statement and a commit per message was half of what the api
 * asked of PostgreSQL. Well under the relay's grace (OutboxRelay), which would otherwise hand
 * the rows to the worker again (harmless: their cursor says delivered).
 */
const OUTBOX_DELETE_WINDOW_MS = 200;

@Injectable()
export class ApiFanout implements FanoutScheduler, BeforeApplicationShutdown {
  private readonly logger = new Logger(ApiFanout.name);
  private readonly turns = new RangeTurns(LOCK_MS + 2_000);
  private readonly cursor: DeliveryCursor;
  private ranges?: RangeDelivery;
  /** Outbox deletes go together: one statement per OUTBOX_DELETE_WINDOW_MS at most. */
  private readonly outboxDeletes: GroupCommit<OutboxEntry[], void>;
  /** Deliveries and outbox deletes under way: shutdown waits for them (their publishes and statements must not meet a closed connection). */
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly queue: FanoutQueue,
    private readonly outbox: OutboxRepository,
    private readonly metrics: Metrics,
    private readonly moduleRef: ModuleRef,
    redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.cursor = new DeliveryCursor(redis.client, config.redisPrefix, LOCK_MS);
    this.outboxDeletes = new GroupCommit((batch) => this.deleteOutbox(batch), OUTBOX_DELETE_WINDOW_MS, 'Too many outbox rows are waiting to be deleted.');
  }

  schedule(changes: readonly StoredChange[]): Promise<void> {
    const run = this.deliverOrEnqueue(changes);
    this.track(run);
    return run;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async deliverOrEnqueue(changes: readonly StoredChange[]): Promise<void> {
    if (changes.length === 0) return;
    const delivery = this.config.fanout.inApi ? this.delivery() : undefined;
    const ranges = rangesOf(changes);
    let left = ranges;
    if (delivery) {
      const outcomes = await Promise.all(ranges.map((range) => this.turns.run(range, (joined) => this.tryDeliver(delivery, joined))));
      left = ranges.filter((_, i) => !outcomes[i]);
    }
    // what another process is delivering (or what failed here) goes to the worker
    if (left.length > 0) await this.queue.enqueue({ ranges: left });
    this.metrics.messagesStored.inc(changes.filter((c) => c.kind === 'created').length);
    // the changes are delivered or enqueued: their outbox rows are done, deleted with the others
    // of the window while the writers have their answers (a failed delete leaves them to the
    // relay, whose job then finds them delivered); a shutdown waits for it
    this.track(
      this.outboxDeletes.submit(outboxEntriesOf(changes)).catch((err: unknown) => this.logger.debug(`outbox delete left to the relay: ${String(err)}`)),
    );
  }

  private track(work: Promise<unknown>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work)).catch(() => undefined);
  }

  /** True when delivered (or found delivered); false when it is left to a job. */
  private async tryDeliver(delivery: RangeDelivery, range: TFanoutRange): Promise<boolean> {
    try {
      return (await delivery.deliver(range, 0)) === 'delivered';
    } catch (err) {
      this.logger.warn(`delivery of conversation ${range.conversationId} up to eventSeq ${range.eventSeq} left to the worker: ${String(err)}`);
      return false;
    }
  }

  /** Resolved on first use: the messages module also injects this scheduler (no import cycle). */
  private delivery(): RangeDelivery | undefined {
    if (this.ranges) return this.ranges;
    try {
      this.ranges = new RangeDelivery(this.cursor, this.moduleRef.get(MessageFanoutService, { strict: false }), this.metrics);
    } catch {
      return undefined; // a process without the messages module: the queue does it
    }
    return this.ranges;
  }

  private async deleteOutbox(batch: Array<Waiting<OutboxEntry[], void>>): Promise<void> {
    try {
      await this.outbox.deleteMany(batch.flatMap((w) => w.item));
      batch.forEach((w) => w.resolve());
    } catch (err) {
      batch.forEach((w) => w.reject(err));
    }
  }
}
