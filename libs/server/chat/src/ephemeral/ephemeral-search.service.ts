import { Injectable } from '@nestjs/common';
import type { TMessageSearchHit } from '@chatbox/contracts';
import { conversationName } from '../policies/conversation-policy';
import type { SearchTerm } from '../search/message-search-terms';
import { EphemeralRoomRepository } from './ephemeral-room.repository';
import { EphemeralRoomStore, ROOM_SCAN_MAX } from './ephemeral-room.store';
import { matchBody } from './ephemeral-search';
import { EphemeralAuthorship } from './ephemeral-authorship';

/**
 * Search in the caller's ephemeral rooms, which PostgreSQL's index never sees: a scan of each
 * room's messages in Redis (at most ROOM_SCAN_MAX newest per room), newest first. Fine for rooms
 * that live hours and hold thousands of messages; it is a scan, not an index, so its cost grows
 * with the rooms a user is in times their size.
 */
@Injectable()
export class EphemeralSearchService {
  constructor(
    private readonly repo: EphemeralRoomRepository,
    private readonly store: EphemeralRoomStore,
    private readonly authorship: EphemeralAuthorship,
  ) {}

  /** Up to `limit` hits in the caller's rooms (only `conversationId` when given), newest first. */
  async search(userId: string, query: { terms: readonly SearchTerm[]; conversationId?: string; senderId?: string; limit: number }): Promise<TMessageSearchHit[]> {
    const rooms = await this.repo.roomsOf(userId, query.conversationId);
    const hits: TMessageSearchHit[] = [];
    for (const room of rooms) {
      await this.store.purgeExpired(room.id);
      // an answer to the caller alone: their own anonymous messages are marked (as in history)
      const messages = await this.authorship.markYours(userId, await this.store.read(room.id, await this.store.idsBySeq(room.id, { limit: ROOM_SCAN_MAX, newest: true })));
      for (const message of messages) {
        if (message.deletedAt !== null || (query.senderId !== undefined && message.sender.id !== query.senderId)) continue;
        const highlights = matchBody(message.body, query.terms);
        if (highlights) hits.push({ message, conversation: { id: room.id, kind: room.kind, name: conversationName(room.kind, room.name, null) }, highlights });
      }
    }
    return hits.sort((a, b) => b.message.createdAt.localeCompare(a.message.createdAt)).slice(0, query.limit);
  }
}
