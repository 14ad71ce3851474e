import { Injectable } from '@nestjs/common';
import type { TPage, TPageQuery, TUser, TUserSearchQuery } from '@chatbox/contracts';
import { AppError, decodeCursor, encodeCursor } from '@chatbox/server-common';
import { PresenceStore } from '@chatbox/server-presence';
import { UserSearchPhase, UserSearchRepository, UserSummaryRow } from './user-search.repository';

/** Finding people: search by name and who is online. */
@Injectable()
export class UserDirectoryService {
  constructor(
    private readonly repo: UserSearchRepository,
    private readonly presence: PresenceStore,
  ) {}

  /** Prefix matches first, then other substring matches; each part ordered by username. */
  async search(query: TUserSearchQuery): Promise<TPage<TUser>> {
    const key = decodeCursor(query.cursor, 2);
    let phase: UserSearchPhase = 0;
    let after: string | undefined;
    if (key) {
      const [p, k] = key;
      if ((p !== 0 && p !== 1) || typeof k !== 'string') throw AppError.validation({ cursor: 'is not a valid cursor' });
      [phase, after] = [p, k];
    }
    const found: Array<UserSummaryRow & { phase: UserSearchPhase }> = [];
    const want = query.limit + 1;
    for (; phase <= 1 && found.length < want; phase++, after = undefined) {
      const rows = await this.repo.search(query.q, phase as UserSearchPhase, after, want - found.length);
      found.push(...rows.map((r) => ({ ...r, phase: phase as UserSearchPhase })));
    }
    const items = found.slice(0, query.limit);
    const last = found.length > query.limit ? items[items.length - 1] : undefined;
    return {
      items: await this.withPresence(items),
      nextCursor: last ? encodeCursor([last.phase, last.usernameKey]) : null,
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
      items: users.map((u) => ({ id: u.id, username: u.username, displayName: u.displayName, online: true })),
      nextCursor: more ? encodeCursor([pageIds[pageIds.length - 1]]) : null,
    };
  }

  private async withPresence(rows: ReadonlyArray<Omit<UserSummaryRow, 'usernameKey'>>): Promise<TUser[]> {
    const online = await this.presence.onlineAmong(rows.map((r) => r.id));
    return rows.map((r) => ({ id: r.id, username: r.username, displayName: r.displayName, online: online.has(r.id) }));
  }
}
