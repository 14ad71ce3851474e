import { Injectable } from '@nestjs/common';
import { AppError } from '@chatbox/server-common';
import type { TRole } from '@chatbox/contracts';
import { AccessRepository, ConversationWithCaller } from './access.repository';
import { policyOf } from '../policies/conversation-policy';

export type MemberAccess = ConversationWithCaller & { membership: { role: TRole; readSeq: number } };

/**
 * The access rules of every conversation-scoped operation, in one place (API.md "Access"):
 * a non-member gets 404 for direct conversations and private groups (their existence is
 * private) and 403 for public groups; a member doing an owner's job gets 403. Ids arrive parsed
 * (ZId at the edge: well-formed, lower case).
 */
@Injectable()
export class ConversationAccess {
  constructor(private readonly repo: AccessRepository) {}

  /** The conversation as the caller may see it, or null when it must look like it does not exist. */
  async visibleTo(userId: string, conversationId: string): Promise<ConversationWithCaller | null> {
    const conversation = await this.repo.findWithCaller(conversationId, userId);
    if (!conversation || conversation.archived) return null;
    if (conversation.membership) return conversation;
    return policyOf(conversation.kind).isOpenToNonMembers(conversation.visibility) ? conversation : null;
  }

  async requireMember(userId: string, conversationId: string): Promise<MemberAccess> {
    const conversation = await this.visibleTo(userId, conversationId);
    if (!conversation) throw notFound();
    if (!conversation.membership) throw AppError.forbidden('Only members of this group may do that.');
    return conversation as MemberAccess;
  }

  /**
   * A member-only read that usually costs no access query of its own: `read` selects its rows
   * only when the caller may read as a member (callerIsMemberSql in the same statement), so any
   * row proves access. Only when it finds none does requireMember decide between that empty
   * answer, 403 and 404, so the rules and their answers stay those of requireMember.
   */
  async readAsMember<T>(userId: string, conversationId: string, read: () => Promise<T[]>): Promise<T[]> {
    const rows = await read();
    if (rows.length === 0) await this.requireMember(userId, conversationId);
    return rows;
  }

  async requireOwner(userId: string, conversationId: string): Promise<MemberAccess> {
    const conversation = await this.requireMember(userId, conversationId);
    if (!policyOf(conversation.kind).mayManage(conversation.membership.role)) {
      throw AppError.forbidden('Only the owner of this group may do that.');
    }
    return conversation;
  }
}

const notFound = () => AppError.notFound('Conversation');
