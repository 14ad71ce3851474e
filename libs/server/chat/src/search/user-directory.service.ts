import { Injectable } from '@nestjs/common';
import { toUser, type TPage, type TPageQuery, type TUser, type TUserSearchQuery } from '@chatbox/contracts';
import { AppError, decodeCursor, encodeCursor } from '@chatbox/server-common';
import { PresenceStore } from '@chatbox/server-presence';
import { isId } from '../ids';
import { USER_SEARCH_PHASES, UserSearchPhase, UserSearchRepository, UserSearchStart, UserSummaryRow } from './user-search.repository';

/** Finding people: search by name and who is online. */
@Injectable()
export class UserDirectoryService {
  constructor(
    private readonly repo: UserSearchRepository,
    private readonly presence: PresenceStore,
  ) {}

  /** The exact username first, then prefix matches, then other substring matches. */
  async search(query: TUserSearchQuery): Promise<TPage<TUser>> {
    let start: UserSearchStart = { phase: query.q ? 0 : 1 };
    const key = decodeCursor(query.cursor, 2);
    if (key) {
      const [phase, id] = key;
      if (!USER_SEARCH_PHASES.includes(phase as UserSearchPhase) || !isId(id)) {
        throw AppError.validation({ cursor: 'is not a valid cursor' });
      }
      start = { phase: phase as UserSearchPhase, afterId: id };
    }
    const found = await this.repo.search(query.q, start, query.limit + 1);
    const items = found.slice(0, query.limit);
    const last = found.length > query.limit ? items[items.length - 1] : undefined;
    return {
      items: await this.withPresence(items),
      nextCursor: last ? encodeCursor([last.phase, last.id]) : null,
    };
  }

  /** Users online now, ordered by id, one page at a time. */
  async online(page: TPageQuery): Promise<TPage<TUser>> {
    const key = decodeCursor(page.cursor, 1);
    const after = key && typeof key[0] === 'string' ? key[0] : undefined;
    if (key && after === undefined) throw AppError.validation({ cursor: 'is not a valid cursor' });
    const ids = (await this.presence.onlineUserIds()).sort().filter((id) => after === undefined || id > after);
    const pageIds = ids.slice(0, page.limit);
    const users = await this.repo.byIds(pageIds);
    const more = ids.length > page.limit;
    return {
      items: users.map((u) => toUser(u, true)),
      nextCursor: more ? encodeCursor([pageIds[pageIds.length - 1]]) : null,
    };
  }

  private async withPresence(rows: readonly UserSummaryRow[]): Promise<TUser[]> {
    const online = await this.presence.onlineAmong(rows.map((r) => r.id));
    return rows.map((r) => toUser(r, online.has(r.id)));
  }
}
