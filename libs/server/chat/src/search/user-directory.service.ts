import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { toUser, TPage, TPageQuery, TUser, TUserSearchQuery, ZId } from '@chatbox/contracts';
import { decodeCursor, encodeCursor, userFieldsOf } from '@chatbox/server-common';
import { PresenceStore } from '@chatbox/server-presence';
import { USER_SEARCH_PHASES, UserSearchRepository, UserSearchScope, UserSearchStart, UserSummaryRow } from './user-search.repository';

/** [phase, id] of the last user of the page before. */
const SearchCursor = z.tuple([z.literal(USER_SEARCH_PHASES), ZId]);
/** [id] of the last online user of the page before. */
const OnlineCursor = z.tuple([ZId]);

/** Finding people: search by name and who is online. */
@Injectable()
export class UserDirectoryService {
  constructor(
    private readonly repo: UserSearchRepository,
    private readonly presence: PresenceStore,
  ) {}

  /**
   * The exact username first, then prefix matches, then other substring matches. People search
   * leaves deactivated users out; the admins' user list (`everyone`) has them.
   */
  async search(query: TUserSearchQuery, scope: UserSearchScope = 'active'): Promise<TPage<TUser>> {
    let start: UserSearchStart = { phase: query.q ? 0 : 1 };
    const key = decodeCursor(query.cursor, SearchCursor);
    if (key) start = { phase: key[0], afterId: key[1] };
    const found = await this.repo.search(query.q, start, query.limit + 1, scope);
    const items = found.slice(0, query.limit);
    const last = found.length > query.limit ? items[items.length - 1] : undefined;
    return {
      items: await this.withPresence(items),
      nextCursor: last ? encodeCursor([last.phase, last.id]) : null,
    };
  }

  /** Users online now, ordered by id, one page at a time. */
  async online(page: TPageQuery): Promise<TPage<TUser>> {
    const after = decodeCursor(page.cursor, OnlineCursor)?.[0];
    const ids = (await this.presence.onlineUserIds()).sort().filter((id) => after === undefined || id > after);
    const pageIds = ids.slice(0, page.limit);
    const users = await this.repo.byIds(pageIds);
    const more = ids.length > page.limit;
    return {
      items: users.map((u) => toUser(userFieldsOf(u), true)),
      nextCursor: more ? encodeCursor([pageIds[pageIds.length - 1]]) : null,
    };
  }

  private async withPresence(rows: readonly UserSummaryRow[]): Promise<TUser[]> {
    const online = await this.presence.onlineAmong(rows.map((r) => r.id));
    return rows.map((r) => toUser(userFieldsOf(r), online.has(r.id)));
  }
}
