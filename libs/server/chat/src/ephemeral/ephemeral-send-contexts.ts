import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { GroupCommit, USEFUL_BATCH } from '../messages/group-commit';
import { EphemeralRoomRepository, SendContext } from './ephemeral-room.repository';

type Ask = { conversationId: string; senderId: string; names: string };

/**
 * The PostgreSQL part of sends into ephemeral rooms, read for many sends in one statement (the
 * send batcher's group commit, applied to a read): a busy api makes one round trip per batch
 * instead of one per message, as persistent sends do. Null: the sender may not post there.
 */
@Injectable()
export class EphemeralSendContexts {
  private readonly reads: GroupCommit<Ask, SendContext | null>;

  constructor(repo: EphemeralRoomRepository, @Inject(APP_CONFIG) config: AppConfig) {
    this.reads = new GroupCommit<Ask, SendContext | null>(
      async (batch) => {
        const found = await repo.sendContexts(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(found.get(i) ?? null));
      },
      config.fanout.sendBatchWindowMs,
      'Too many messages are waiting to be sent; try again shortly.',
      { usefulBatch: USEFUL_BATCH },
    );
  }

  read(conversationId: string, senderId: string, usernames: readonly string[]): Promise<SendContext | null> {
    return this.reads.submit({ conversationId, senderId, names: usernames.join(' ') });
  }
}
