import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { toUser, TConversation, TMessage, TPage, TPageQuery, ZId } from '@chatbox/contracts';
import { CursorDate, decodeCursor, encodeCursor } from '@chatbox/server-common';
import { PresenceStore } from '@chatbox/server-presence';
import type { Db } from '../persistence/transaction.runner';
import { toMessage } from '../messages/message.mapper';
import { conversationName, policyOf } from '../policies/conversation-policy';
import { ConversationViewRepository, ConversationViewRow, ViewFilter } from './conversation-view.repository';
import { EphemeralViewFields, EphemeralViews } from '../ephemeral/ephemeral-views';
import { AuthorKeys } from '../anonymity/author-keys';

/**
 * Conversations as a given member sees them (API.md Conversation): for GET /api/conversations
 * and for the `conversation` events of REST and socket code alike. Two round trips per call
 * whatever the number of conversations: one SQL query, one presence lookup for direct peers.
 */
@Injectable()
export class ConversationViewService {
  constructor(
    private readonly repo: ConversationViewRepository,
    private readonly presence: PresenceStore,
    private readonly ephemeral: EphemeralViews,
    private readonly authorKeys: AuthorKeys,
  ) {}

  /** Each viewer's author key: their own anonymous messages are not unread for them. */
  private keysOf(userIds: readonly string[]): Map<string, string> {
    return new Map(userIds.map((id) => [id, this.authorKeys.keyOf(id)]));
  }

  /** The caller's conversations, most recent activity first, one page at a time. */
  async forUser(userId: string, page: TPageQuery = { limit: 100 }): Promise<TPage<TConversation>> {
    const key = decodeCursor(page.cursor, ListCursor);
    const before = key ? { lastActivityAt: key[0], id: key[1] } : undefined;
    const rows = await this.repo.views({ userId, before, limit: page.limit + 1 }, this.keysOf([userId]));
    const items = await this.toViews(rows.slice(0, page.limit));
    const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
    return { items, nextCursor: last ? encodeCursor([last.lastActivityAt.toISOString(), last.id]) : null };
  }

  /** One conversation as a member sees it; null when the user is not a member or it is archived. */
  async one(userId: string, conversationId: string, db?: Db): Promise<TConversation | null> {
    const [view] = await this.toViews(await this.repo.views({ userId, conversationId }, this.keysOf([userId]), db));
    return view ?? null;
  }

  /** The conversation as each of the given members sees it, in one query: for event fan-out. */
  async forMembers(conversationId: string, userIds: readonly string[], db?: Db): Promise<Map<string, TConversation>> {
    const filter: ViewFilter = { conversationId, userIds };
    const rows = await this.repo.views(filter, this.keysOf(userIds), db);
    const views = await this.toViews(rows);
    return new Map(rows.map((row, i) => [row.viewerId, views[i]]));
  }

  private async toViews(rows: ConversationViewRow[]): Promise<TConversation[]> {
    const [online, rooms] = await Promise.all([this.presence.onlineAmong(rows.flatMap((r) => (r.peerId ? [r.peerId] : []))), this.ephemeralFields(rows)]);
    return rows.map((row) => toConversation(rooms.get(row.id)?.get(row.viewerId) ?? row, online));
  }

  /** Ephemeral rooms' counters and last messages, from Redis: by room, then by viewer. */
  private async ephemeralFields(rows: readonly ConversationViewRow[]): Promise<Map<string, Map<string, ConversationViewRow>>> {
    const byRoom = new Map<string, ConversationViewRow[]>();
    for (const row of rows) if (row.ephemeral) byRoom.set(row.id, [...(byRoom.get(row.id) ?? []), row]);
    const rooms = new Map<string, Map<string, ConversationViewRow>>();
    await Promise.all(
      [...byRoom].map(async ([roomId, viewers]) => {
        const fields = await this.ephemeral.of(roomId, viewers);
        rooms.set(roomId, new Map(viewers.map((row) => [row.viewerId, withRoomFields(row, fields.get(row.viewerId))])));
      }),
    );
    return rooms;
  }
}


type ViewRow = ConversationViewRow & { roomMessage?: TMessage | null };

const withRoomFields = (row: ConversationViewRow, fields: EphemeralViewFields | undefined): ViewRow =>
  fields ? { ...row, lastSeq: fields.lastSeq, lastEventSeq: fields.lastEventSeq, mentions: fields.mentions, lastMessage: null, roomMessage: fields.lastMessage } : row;

function toConversation(row: ViewRow, online: ReadonlySet<string>): TConversation {
  const policy = policyOf(row.kind, row.ephemeral);
  const conversation: TConversation = {
    id: row.id,
    kind: row.kind,
    name: conversationName(row.kind, row.name, row.peerDisplayName),
    role: row.role,
    lastSeq: row.lastSeq,
    readSeq: row.readSeq,
    // one's own anonymous questions are read (the read pointer cannot say so: see OwnAnonymous in the web client)
    unread: Math.max(0, row.lastSeq - row.readSeq - Number(row.ownAnonymous)),
    lastMessage: row.roomMessage ?? (row.lastMessage ? toMessage(row.lastMessage) : null),
    memberCount: row.memberCount,
    lastEventSeq: row.lastEventSeq,
    ephemeral: row.ephemeral,
    description: row.description,
    anonymousQuestions: row.anonymousQuestions,
    mentions: Number(row.mentions),
    notify: row.notify ?? policy.defaultNotify(row.memberCount),
  };
  if (policy.hasVisibility && row.visibility) conversation.visibility = row.visibility;
  if (policy.isBetweenTwo && row.peerId) {
    conversation.peer = toUser(
      { id: row.peerId, username: row.peerUsername ?? '', displayName: row.peerDisplayName ?? '', role: row.peerRole ?? 'member', deactivated: row.peerDeactivated ?? false },
      online.has(row.peerId),
    );
  }
  return conversation;
}

/** [lastActivityAt, id] of the last conversation of the page before. */
const ListCursor = z.tuple([CursorDate, ZId]);
