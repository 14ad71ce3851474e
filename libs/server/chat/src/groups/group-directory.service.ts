import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { toUser, TGroupSearchQuery, TGroupSummary, TMember, TPage, TPageQuery, ZId, zText } from '@chatbox/contracts';
import { CursorDate, decodeCursor, encodeCursor, userFieldsOf } from '@chatbox/server-common';
import { PresenceStore } from '@chatbox/server-presence';
import { ConversationAccess } from '../access/conversation-access.service';
import { MembershipRepository } from '../conversations/membership.repository';
import { GroupSearchRepository } from '../search/group-search.repository';

/** [phase, lower(name), id] of the last group of the page before. */
const SearchCursor = z.tuple([z.literal([0, 1]), zText().max(1024), ZId]);
/** [joinedAt, userId] of the last member of the page before. */
const MemberCursor = z.tuple([CursorDate, ZId]);

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
    const key = decodeCursor(query.cursor, SearchCursor);
    const after = key ? { phase: key[0], nameKey: key[1], id: key[2] } : undefined;
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
    const key = decodeCursor(page.cursor, MemberCursor);
    const after = key ? { joinedAt: key[0], userId: key[1] } : undefined;
    const rows = await this.memberships.page(conversationId, after, page.limit + 1);
    const items = rows.slice(0, page.limit);
    const online = await this.presence.onlineAmong(items.map((r) => r.userId));
    const last = rows.length > page.limit ? items[items.length - 1] : undefined;
    return {
      items: items.map((r) => ({
        user: toUser(userFieldsOf(r.user), online.has(r.userId)),
        role: r.role,
        joinedAt: r.joinedAt.toISOString(),
      })),
      nextCursor: last ? encodeCursor([last.joinedAt.toISOString(), last.userId]) : null,
    };
  }
}

