import { Inject, Injectable } from '@nestjs/common';
import type { TConversation, TNotifyLevel } from '@chatbox/contracts';
import { AppError } from '@chatbox/server-common';
import { ConversationAccess } from '../access/conversation-access.service';
import { REALTIME_PUBLISHER, RealtimePublisher } from '../realtime-publisher.port';
import { ConversationViewService } from './conversation-view.service';
import { MembershipRepository } from './membership.repository';

/** PUT /api/conversations/:id/notify (API.md "Mentions and notifications"): a member's own level. */
@Injectable()
export class NotifyLevelService {
  constructor(
    private readonly access: ConversationAccess,
    private readonly memberships: MembershipRepository,
    private readonly views: ConversationViewService,
    @Inject(REALTIME_PUBLISHER) private readonly realtime: RealtimePublisher,
  ) {}

  /** Stores the level and answers the conversation as the caller sees it now; their other tabs learn it too. */
  async set(userId: string, conversationId: string, level: TNotifyLevel): Promise<TConversation> {
    await this.access.requireMember(userId, conversationId);
    await this.memberships.setNotify(conversationId, userId, level);
    const conversation = await this.views.one(userId, conversationId);
    if (!conversation) throw AppError.notFound('Conversation'); // left or archived meanwhile
    await this.realtime.toUsers([userId], 'conversation', { change: 'updated', conversation });
    return conversation;
  }
}
