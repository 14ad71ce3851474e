import { Inject, Injectable } from '@nestjs/common';
import type { TMessage } from '@chatbox/contracts';
import { REALTIME_PUBLISHER, RealtimePublisher } from '../realtime-publisher.port';
import { MemberListCache } from './member-list.cache';
import { MessageRepository } from './message.repository';

/** The domain side of fan-out: which messages, to whom. Ordering and retries are the job's. */
@Injectable()
export class MessageFanoutService {
  constructor(
    private readonly messages: MessageRepository,
    private readonly members: MemberListCache,
    @Inject(REALTIME_PUBLISHER) private readonly realtime: RealtimePublisher,
  ) {}

  /** The stored messages with afterSeq < seq <= uptoSeq, ascending. */
  range(conversationId: string, afterSeq: number, uptoSeq: number): Promise<TMessage[]> {
    return this.messages.range(conversationId, afterSeq, uptoSeq);
  }

  /**
   * Emits the messages (one conversation's, ascending) to its members as of `membersVersion`
   * (the version their send read), or to the current members when the job does not say.
   */
  async deliver(conversationId: string, messages: readonly TMessage[], membersVersion?: number): Promise<void> {
    if (messages.length === 0) return;
    const recipients = await this.members.members(conversationId, membersVersion);
    await this.realtime.messagesToUsers(recipients, conversationId, messages);
  }
}
