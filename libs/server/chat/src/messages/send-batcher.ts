import { Inject, Injectable, Logger } from '@nestjs/common';
import { isDatabaseUnavailable } from '@chatbox/server-common';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { AfterCommit, created } from './after-commit';
import type { StoredChange, StoredMessage } from './fanout-scheduler.port';
import { GroupCommit, USEFUL_BATCH, Waiting } from './group-commit';
import { MessageRepository, NewMessage } from './message.repository';

type Pending = Waiting<NewMessage, StoredMessage | null>;

/**
 * Group commit for sends (see GroupCommit; adaptive: the window SEND_BATCH_WINDOW_MS only
 * while sends arrive fast enough to fill USEFUL_BATCH in it): the sends of a batch
 * are stored in one statement, one commit and one enqueue, and a conversation's messages of one
 * batch reach each member as one event.
 *
 * submit() resolves with the stored message once it is committed and its fan-out is enqueued,
 * or with null when the batch did not store it (not a member, no such conversation, a reused
 * clientMsgId, a concurrent duplicate): the caller then sends it alone, which answers exactly.
 */
@Injectable()
export class SendBatcher {
  private readonly logger = new Logger(SendBatcher.name);
  private readonly commit: GroupCommit<NewMessage, StoredMessage | null>;
  /** Sender + clientMsgId of every queued or in-flight send: a repeat must not share its batch. */
  private readonly keys = new Map<string, Promise<unknown>>();
  private ord = 0;

  constructor(
    private readonly messages: MessageRepository,
    private readonly afterCommit: AfterCommit,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.commit = new GroupCommit((batch) => this.store(batch), config.fanout.sendBatchWindowMs, 'Too many messages are waiting to be stored; try again in a moment.', {
      usefulBatch: USEFUL_BATCH,
    });
  }

  async submit(message: Omit<NewMessage, 'ord'>): Promise<StoredMessage | null> {
    const key = `${message.senderId}\u0000${message.clientMsgId}`;
    const earlier = this.keys.get(key);
    if (earlier) {
      // a retry racing its original: let the original finish, then the caller replays it
      await earlier.catch(() => undefined);
      return null;
    }
    const done = this.commit.submit({ ...message, ord: this.ord++ });
    this.keys.set(key, done);
    try {
      return await done;
    } finally {
      this.keys.delete(key);
    }
  }

  /** Resolves when the statement is done; answering the senders continues after that. */
  private async store(batch: Pending[]): Promise<void> {
    let stored: Awaited<ReturnType<MessageRepository['insertBatch']>>;
    try {
      // a statement its senders no longer wait for (SEND_ANSWER_MS) gives its slot back: on a
      // connection that carries nothing it would hold one of the two for as long as TCP waits
      stored = await this.messages.insertBatch(
        batch.map((p) => p.item),
        { timeoutMs: this.config.sendAnswerMs },
      );
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
    await this.afterCommit.fanOut([...[...stored.values()].map(created), ...roots]);
    for (const pending of batch) pending.resolve(stored.get(pending.item.ord) ?? null);
  }
}
