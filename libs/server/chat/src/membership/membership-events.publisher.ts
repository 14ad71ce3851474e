import { Inject, Injectable, Logger } from '@nestjs/common';
import type { TConversation } from '@chatbox/contracts';
import { REALTIME_PUBLISHER, RealtimePublisher } from '../realtime-publisher.port';
import { ConversationViewService } from '../conversations/conversation-view.service';
import type { MembershipChange } from './membership-change';

/**
 * Announces a committed membership change as `conversation` events. Runs after commit; a
 * failure to publish is logged, not thrown: the change is durable and clients resync on reconnect.
 */
@Injectable()
export class MembershipEventsPublisher {
  private readonly logger = new Logger(MembershipEventsPublisher.name);

  constructor(
    private readonly views: ConversationViewService,
    @Inject(REALTIME_PUBLISHER) private readonly publisher: RealtimePublisher,
  ) {}

  /** removedViews: the conversation as each removed user saw it, captured before the change. */
  async publish(change: MembershipChange, removedViews: ReadonlyMap<string, TConversation> = new Map()): Promise<void> {
    try {
      const current = await this.views.forMembers(change.conversationId, [...change.added, ...change.updated]);
      const sends: Array<Promise<void>> = [];
      for (const [ids, kind, source] of [
        [change.added, 'added', current],
        [change.updated, 'updated', current],
        [change.removed, 'removed', removedViews],
      ] as const) {
        for (const userId of ids) {
          const conversation = source.get(userId);
          if (conversation) sends.push(this.publisher.toUsers([userId], 'conversation', { change: kind, conversation }));
        }
      }
      await Promise.all(sends);
    } catch (err) {
      this.logger.warn(
        `conversation ${change.conversationId}: events not published (${change.added.length} added, ` +
          `${change.removed.length} removed, ${change.updated.length} updated): ${(err as Error).message}`,
      );
    }
  }
}
