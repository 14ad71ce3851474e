import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError, isDatabaseUnavailable } from '@chatbox/server-common';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { FANOUT_SCHEDULER, FanoutScheduler, StoredChange, StoredMessage } from './fanout-scheduler.port';
import { MessageRepository, NewMessage } from './message.repository';

/** Statements in flight at once; sends arriving meanwhile wait and go together in the next one. */
const MAX_IN_FLIGHT = 2;
const MAX_BATCH = 256;
/**
 * Sends waiting beyond this are refused with `unavailable` (503, retry later): that many is
 * already about a second of work for a saturated api, and a queue without a bound turns overload
 * into memory growth and waits of many seconds for everybody.
 */
export const MAX_WAITING = 4096;

type Pending = { message: NewMessage; resolve: (stored: StoredMessage | null) => void; reject: (err: unknown) => void };

/**
 * Group commit for sends: every send that arrives while earlier ones are being stored, or within
 * the batch window (SEND_BATCH_WINDOW_MS) after the last statement started, waits and is stored
 * with the others in one statement, one commit and one enqueue. A quiet server stores each send
 * at once; a busy one makes fewer, larger round trips instead of queueing more of them, and a
 * conversation's messages of one batch reach each member as one event.
 *
 * submit() resolves with the stored message once it is committed and its fan-out is enqueued,
 * or with null when the batch did not store it (not a member, no such conversation, a reused
 * clientMsgId, a concurrent duplicate): the caller then sends it alone, which answers exactly.
 */
@Injectable()
export class SendBatcher {
  private readonly logger = new Logger(SendBatcher.name);
  private queue: Pending[] = [];
  /** Sender + clientMsgId of every queued or in-flight send: a repeat must not share its batch. */
  private readonly keys = new Map<string, Promise<unknown>>();
  private inFlight = 0;
  private ord = 0;
  private lastStart = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly messages: MessageRepository,
    @Inject(FANOUT_SCHEDULER) private readonly fanout: FanoutScheduler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async submit(message: Omit<NewMessage, 'ord'>): Promise<StoredMessage | null> {
    const key = `${message.senderId}\u0000${message.clientMsgId}`;
    const earlier = this.keys.get(key);
    if (earlier) {
      // a retry racing its original: let the original finish, then the caller replays it
      await earlier.catch(() => undefined);
      return null;
    }
    if (this.queue.length >= MAX_WAITING) {
      throw AppError.unavailable('Too many messages are waiting to be stored; try again in a moment.');
    }
    const done = new Promise<StoredMessage | null>((resolve, reject) => {
      this.queue.push({ message: { ...message, ord: this.ord++ }, resolve, reject });
    });
    this.keys.set(key, done);
    this.pump();
    try {
      return await done;
    } finally {
      this.keys.delete(key);
    }
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      // Nagle for sends: right after a statement started, wait out the window and take more
      const wait = this.lastStart + this.config.fanout.sendBatchWindowMs - Date.now();
      if (wait > 0 && this.queue.length < MAX_BATCH) {
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
        return;
      }
      this.lastStart = Date.now();
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight += 1;
      void this.store(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /** Resolves when the statement is done; answering the senders continues after that. */
  private async store(batch: Pending[]): Promise<void> {
    let stored: Awaited<ReturnType<MessageRepository['insertBatch']>>;
    try {
      stored = await this.messages.insertBatch(batch.map((p) => p.message));
    } catch (err) {
      if (isDatabaseUnavailable(err)) {
        batch.forEach((p) => p.reject(err));
      } else {
        // e.g. a duplicate committed by another process mid-statement: nothing was stored
        this.logger.debug(`batch of ${batch.length} sends falls back to single sends: ${String(err)}`);
        batch.forEach((p) => p.resolve(null));
      }
      return;
    }
    void this.answer(batch, stored);
  }

  private async answer(batch: Pending[], { stored, roots }: { stored: Map<number, StoredMessage>; roots: StoredChange[] }): Promise<void> {
    await this.afterCommit([...[...stored.values()].map(created), ...roots]);
    for (const pending of batch) pending.resolve(stored.get(pending.message.ord) ?? null);
  }

  /** Enqueues the fan-out of committed changes, however they were stored; never throws. */
  async afterCommit(changes: readonly StoredChange[]): Promise<void> {
    if (changes.length === 0) return;
    if (this.config.testHooks.crashAfterCommit) {
      this.logger.warn(`test hook: exiting after commit of ${changes.length} change(s)`);
      process.exit(75);
    }
    try {
      await this.fanout.schedule(changes);
    } catch (err) {
      // committed and in the outbox: the relay enqueues them; the writers still get their answers
      this.logger.warn(`enqueue of ${changes.length} change(s) failed, left to the outbox relay: ${String(err)}`);
    }
  }
}

/** A stored message as the change that created it. */
export const created = (stored: StoredMessage): StoredChange => ({ kind: 'created', ...stored });
