import { Injectable } from '@nestjs/common';
import type { TMessage } from '@chatbox/contracts';
import { EphemeralRoomStore, ROOM_SCAN_MAX } from './ephemeral-room.store';
import { EphemeralAuthorship } from './ephemeral-authorship';

/** What a conversation view of an ephemeral room takes from Redis instead of the Conversation row. */
export type EphemeralViewFields = { lastSeq: number; lastEventSeq: number; lastMessage: TMessage | null; mentions: number };

/**
 * The counters, last message and unread mentions of an ephemeral room, for its members' views
 * (ConversationViewService): the room's part of what the view query reads for other conversations.
 */
@Injectable()
export class EphemeralViews {
  constructor(
    private readonly store: EphemeralRoomStore,
    private readonly authorship: EphemeralAuthorship,
  ) {}

  /** For each viewer (by id, with their read pointer) of one room. */
  async of(roomId: string, viewers: ReadonlyArray<{ viewerId: string; readSeq: number }>): Promise<Map<string, EphemeralViewFields>> {
    await this.store.purgeExpired(roomId);
    const { lastSeq, lastEventSeq } = await this.store.counters(roomId);
    const oldestRead = Math.min(...viewers.map((v) => v.readSeq));
    const unread = oldestRead < lastSeq ? await this.store.read(roomId, await this.store.idsBySeq(roomId, { after: oldestRead, limit: ROOM_SCAN_MAX, newest: true })) : [];
    const newest = unread.length > 0 ? unread[unread.length - 1] : (await this.store.read(roomId, await this.store.idsBySeq(roomId, { limit: 1, newest: true })))[0];
    // the last message is `sentByYou` in its author's view only (an anonymous one's author is told, nobody else)
    const author = newest ? await this.authorship.authorAmong(newest, viewers.map((v) => v.viewerId)) : null;
    const views = new Map<string, EphemeralViewFields>();
    for (const { viewerId, readSeq } of viewers) {
      const mentions = unread.filter(
        (m) => m.seq > readSeq && m.sender.id !== viewerId && m.deletedAt === null && (m.mentions.everyone || m.mentions.userIds.includes(viewerId)),
      ).length;
      const lastMessage = newest && viewerId === author ? { ...newest, sentByYou: true as const } : (newest ?? null);
      views.set(viewerId, { lastSeq, lastEventSeq, lastMessage, mentions });
    }
    return views;
  }
}
