import { Inject, Injectable } from '@nestjs/common';
import type { TMessage } from '@chatbox/contracts';
import { REALTIME_PUBLISHER, RealtimePublisher } from '../realtime-publisher.port';
import { MembershipRepository } from '../conversations/membership.repository';
import { MessageRepository } from './message.repository';

/** The domain side of fan-out: which messages, to whom. Ordering and retries are the job's. */
@Injectable()
export class MessageFanoutService {
  constructor(
    private readonly messages: MessageRepository,
    private readonly memberships: MembershipRepository,
    @Inject(REALTIME_PUBLISHER) private readonly realtime: RealtimePublisher,
  ) {}

  findMessage(messageId: string): Promise<TMessage | null> {
    return this.messages.findById(messageId);
  }

  /**
   * Emits every message with afterSeq < seq <= uptoSeq, in seq order, to the conversation's
   * current members: a member removed before this runs gets nothing.
   */
  async deliverRange(conversationId: string, afterSeq: number, uptoSeq: number): Promise<{ messages: number; recipients: number }> {
    const [messages, recipients] = await Promise.all([
      this.messages.range(conversationId, afterSeq, uptoSeq),
      this.memberships.memberIds(conversationId),
    ]);
    for (const message of messages) await this.realtime.toUsers(recipients, 'message', message);
    return { messages: messages.length, recipients: recipients.length };
  }
}
