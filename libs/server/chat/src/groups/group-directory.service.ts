import { Injectable } from '@nestjs/common';
import { toUser, type TGroupSearchQuery, type TGroupSummary, type TMember, type TPage, type TPageQuery } from '@chatbox/contracts';
import { AppError, decodeCursor, encodeCursor } from '@chatbox/server-common';
import { PresenceStore } from '@chatbox/server-presence';
import { ConversationAccess } from '../access/conversation-access.service';
import { isId } from '../ids';
import { MembershipRepository } from '../conversations/membership.repository';
import { GroupSearchRepository } from '../search/group-search.repository';

const invalidCursor = () => AppError.validation({ cursor: 'is not a valid cursor' });

/** Reading groups: search by name and member lists. Changes go through MembershipService. */
@Injectable()
export class GroupDirectoryService {
  constructor(
    private readonly access: ConversationAccess,
    private readonly search: GroupSearchRepository,
    private readonly memberships: MembershipRepository,
    private readonly presence: PresenceStore,
  ) {}

  async find(userId: string, query: TGroupSearchQuery): Promise<TPage<TGroupSummary>> {
    const key = decodeCursor(query.cursor, 3);
    let after;
    if (key) {
      const [phase, nameKey, id] = key;
      if ((phase !== 0 && phase !== 1) || typeof nameKey !== 'string' || !isId(id)) throw invalidCursor();
      after = { phase, nameKey, id };
    }
    const rows = await this.search.search(userId, query.q, after, query.limit + 1);
    const items = rows.slice(0, query.limit);
    const last = rows.length > query.limit ? items[items.length - 1] : undefined;
    return {
      items: items.map((r) => ({ id: r.id, kind: 'group', name: r.name, visibility: r.visibility, memberCount: r.memberCount, role: r.role })),
      nextCursor: last ? encodeCursor([last.phase, last.nameKey, last.id]) : null,
    };
  }

  /** Members in joining order, with role and online state; members only. */
  async members(userId: string, conversationId: string, page: TPageQuery): Promise<TPage<TMember>> {
    await this.access.requireMember(userId, conversationId);
    const key = decodeCursor(page.cursor, 2);
    let after;
    if (key) {
      const [at, id] = key;
      const joinedAt = typeof at === 'string' ? new Date(at) : new Date(NaN);
      if (Number.isNaN(joinedAt.getTime()) || !isId(id)) throw invalidCursor();
      after = { joinedAt, userId: id };
    }
    const rows = await this.memberships.page(conversationId, after, page.limit + 1);
    const items = rows.slice(0, page.limit);
    const online = await this.presence.onlineAmong(items.map((r) => r.userId));
    const last = rows.length > page.limit ? items[items.length - 1] : undefined;
    return {
      items: items.map((r) => ({
        user: toUser({ id: r.userId, username: r.username, displayName: r.displayName }, online.has(r.userId)),
        role: r.role,
        joinedAt: r.joinedAt.toISOString(),
      })),
      nextCursor: last ? encodeCursor([last.joinedAt.toISOString(), last.userId]) : null,
    };
  }
}

