import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { TMessageSearchHit, TMessageSearchPage, TMessageSearchQuery, ZId } from '@chatbox/contracts';
import { CursorDate, decodeCursor, encodeCursor } from '@chatbox/server-common';
import { ConversationAccess } from '../access/conversation-access.service';
import { toMessage } from '../messages/message.mapper';
import { conversationName } from '../policies/conversation-policy';
import { highlightRanges } from './highlight-ranges';
import { parseSearchTerms } from './message-search-terms';
import { MessageSearchRepository, MessageSearchRow } from './message-search.repository';
import { EphemeralRoomDirectory } from '../ephemeral/ephemeral-room.directory';
import { EphemeralSearchService } from '../ephemeral/ephemeral-search.service';
import { AuthorKeys } from '../anonymity/author-keys';

/** A cursor before every stored hit (ts_rank is below 1): the next page starts at the best one. */
const ABOVE_EVERY_RANK = 1e30;
const MAX_ID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/** [rank, createdAt, id] of the last hit of the page before. */
const SearchCursor = z.tuple([z.number().nonnegative(), CursorDate, ZId]);

/** Finding messages again (API.md "Search"): only in the caller's conversations now. */
@Injectable()
export class MessageSearchService {
  constructor(
    private readonly repo: MessageSearchRepository,
    private readonly access: ConversationAccess,
    private readonly rooms: EphemeralRoomDirectory,
    private readonly ephemeral: EphemeralSearchService,
    private readonly authorKeys: AuthorKeys,
  ) {}

  /**
   * Hits of the caller's ephemeral rooms (EphemeralSearchService) come first on the first page,
   * at most `limit` of them; the stored conversations' hits fill the rest and the next pages.
   */
  async search(userId: string, query: TMessageSearchQuery): Promise<TMessageSearchPage> {
    const key = decodeCursor(query.cursor, SearchCursor);
    const terms = parseSearchTerms(query.q);
    const inRoom = query.conversationId !== undefined && (await this.rooms.isEphemeral(query.conversationId));
    if (inRoom) await this.access.requireMember(userId, query.conversationId as string);
    const roomHits = key ? [] : await this.ephemeral.search(userId, { terms, conversationId: query.conversationId, senderId: query.from, limit: query.limit });
    if (inRoom) return { items: roomHits, nextCursor: null };
    const limit = query.limit - roomHits.length;
    if (limit === 0) return { items: roomHits, nextCursor: encodeCursor([ABOVE_EVERY_RANK, new Date(0).toISOString(), MAX_ID]) };
    const run = () =>
      this.repo.search({
        userId,
        terms,
        conversationId: query.conversationId,
        senderId: query.from,
        after: key && { rank: key[0], createdAt: key[1], id: key[2] },
        limit: limit + 1,
        // an answer to the caller alone: their own anonymous messages are marked (as in history)
        authorKey: this.authorKeys.keyOf(userId),
      });
    // Within one conversation, nothing found there may mean not being allowed there: the same
    // 403 and 404 as its history answers.
    const rows = query.conversationId ? await this.access.readAsMember(userId, query.conversationId, run) : await run();
    const items = rows.slice(0, limit);
    const last = rows.length > limit ? items[items.length - 1] : undefined;
    return {
      items: [...roomHits, ...items.map(toHit)],
      nextCursor: last ? encodeCursor([Number(last.rank), new Date(last.createdAt).toISOString(), last.id]) : null,
    };
  }
}

function toHit(row: MessageSearchRow): TMessageSearchHit {
  const message = toMessage(row);
  return {
    message,
    conversation: { id: row.conversationId, kind: row.kind, name: conversationName(row.kind, row.conversationName, row.peerDisplayName) },
    highlights: highlightRanges(message.body, row.marked),
  };
}
