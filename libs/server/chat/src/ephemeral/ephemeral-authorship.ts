import { Injectable } from '@nestjs/common';
import type { TMessage } from '@chatbox/contracts';
import { AuthorKeys } from '../anonymity/author-keys';
import { EphemeralRoomStore } from './ephemeral-room.store';

/**
 * Who wrote an ephemeral room's anonymous messages, as far as the api may tell: only the author
 * asking about their own (the author hash the room keeps against AuthorKeys.messageHash), for
 * answers to that author alone (`sentByYou`), as MessageRepository does for stored messages.
 */
@Injectable()
export class EphemeralAuthorship {
  constructor(
    private readonly store: EphemeralRoomStore,
    private readonly authorKeys: AuthorKeys,
  ) {}

  /** `items` (one room's) with the caller's anonymous messages marked `sentByYou`. */
  async markYours(userId: string, items: TMessage[]): Promise<TMessage[]> {
    const anonymous = items.filter((m) => m.anonymous);
    if (anonymous.length === 0) return items;
    const hashes = await this.store.authorHashes(anonymous[0].conversationId, anonymous.map((m) => m.id));
    const yours = new Set(anonymous.filter((m, i) => hashes[i] === this.authorKeys.messageHash(userId, m.clientMsgId)).map((m) => m.id));
    return items.map((m) => (yours.has(m.id) ? { ...m, sentByYou: true as const } : m));
  }

  /** Which of `userIds` wrote `message` (an anonymous one): null when none of them did, or it is named. */
  async authorAmong(message: TMessage, userIds: readonly string[]): Promise<string | null> {
    if (!message.anonymous) return null;
    const stored = await this.store.authorHash(message.conversationId, message.id);
    return stored === null ? null : (userIds.find((id) => this.authorKeys.messageHash(id, message.clientMsgId) === stored) ?? null);
  }
}
