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

/** [rank, createdAt, id] of the last hit of the page before. */
const SearchCursor = z.tuple([z.number().nonnegative(), CursorDate, ZId]);

/** Finding messages again (API.md "Search"): only in the caller's conversations now. */
@Injectable()
export class MessageSearchService {
  constructor(
    private readonly repo: MessageSearchRepository,
    private readonly access: ConversationAccess,
  ) {}

  async search(userId: string, query: TMessageSearchQuery): Promise<TMessageSearchPage> {
    const key = decodeCursor(query.cursor, SearchCursor);
    const run = () =>
      this.repo.search({
        userId,
        terms: parseSearchTerms(query.q),
        conversationId: query.conversationId,
        senderId: query.from,
        after: key && { rank: key[0], createdAt: key[1], id: key[2] },
        limit: query.limit + 1,
      });
    // Within one conversation, nothing found there may mean not being allowed there: the same
    // 403 and 404 as its history answers.
    const rows = query.conversationId ? await this.access.readAsMember(userId, query.conversationId, run) : await run();
    const items = rows.slice(0, query.limit);
    const last = rows.length > query.limit ? items[items.length - 1] : undefined;
    return {
      items: items.map(toHit),
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
