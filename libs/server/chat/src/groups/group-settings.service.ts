import { Injectable } from '@nestjs/common';
import type { TConversation, TUpdateGroupBody } from '@chatbox/contracts';
import { AppError } from '@chatbox/server-common';
import { ConversationAccess } from '../access/conversation-access.service';
import { ConversationRepository } from '../conversations/conversation.repository';
import { ConversationViewService } from '../conversations/conversation-view.service';
import { MembershipRepository } from '../conversations/membership.repository';
import { MembershipEventsPublisher } from '../membership/membership-events.publisher';
import { noChange } from '../membership/membership-change';
import { TransactionRunner } from '../persistence/transaction.runner';
import { GroupSettingsRepository } from './group-settings.repository';

/** Explains a refused anonymous send (400 `anonymous`). */
export const ANONYMOUS_REFUSED = 'is not allowed here: this conversation does not take anonymous questions (its owner may turn them on)';

/**
 * PATCH /api/groups/:id (API.md "Groups, version 2"): the owner changes the group's name,
 * description and whether members may ask anonymously; every member gets `conversation`
 * "updated" with the new state.
 */
@Injectable()
export class GroupSettingsService {
  constructor(
    private readonly access: ConversationAccess,
    private readonly tx: TransactionRunner,
    private readonly conversations: ConversationRepository,
    private readonly memberships: MembershipRepository,
    private readonly settings: GroupSettingsRepository,
    private readonly views: ConversationViewService,
    private readonly events: MembershipEventsPublisher,
  ) {}

  async update(userId: string, conversationId: string, body: TUpdateGroupBody): Promise<TConversation> {
    await this.access.requireOwner(userId, conversationId);
    const members = await this.tx.run(async (tx) => {
      const locked = await this.conversations.lock(tx, conversationId);
      if (!locked || locked.archived) throw AppError.notFound('Conversation');
      // ownership may have moved between the access check and the lock
      if ((await this.memberships.roleOf(conversationId, userId, tx)) !== 'owner') throw AppError.forbidden('Only the owner of this group may do that.');
      await this.settings.update(tx, conversationId, body);
      return this.memberships.memberIds(conversationId, tx);
    });
    await this.events.publish({ ...noChange(conversationId), updated: members });
    const conversation = await this.views.one(userId, conversationId);
    if (!conversation) throw AppError.notFound('Conversation');
    return conversation;
  }

  /** 400 naming `anonymous` unless the conversation takes anonymous questions. */
  async requireAnonymousQuestions(conversationId: string): Promise<void> {
    if (!(await this.settings.takesAnonymousQuestions(conversationId))) throw AppError.validation({ anonymous: ANONYMOUS_REFUSED });
  }
}
