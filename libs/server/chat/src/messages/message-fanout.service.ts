import { Inject, Injectable } from '@nestjs/common';
import type { TChange } from '@chatbox/contracts';
import { REALTIME_PUBLISHER, RealtimePublisher } from '../realtime-publisher.port';
import { MemberListCache } from './member-list.cache';
import { MessageRepository } from './message.repository';

/** The domain side of fan-out: which changes, to whom. Ordering and retries are the job's. */
@Injectable()
export class MessageFanoutService {
  constructor(
    private readonly messages: MessageRepository,
    private readonly members: MemberListCache,
    @Inject(REALTIME_PUBLISHER) private readonly realtime: RealtimePublisher,
  ) {}

  /**
   * The stored changes after `after` by `upto`, ascending by current eventSeq, and how far past
   * `upto` they reached (see MessageRepository.changesBetween).
   */
  between(conversationId: string, after: number, upto: number): Promise<{ changes: TChange[]; reached: number }> {
    return this.messages.changesBetween(conversationId, after, upto);
  }

  /**
   * Emits the changes (one conversation's, in stream order) to its members as of
   * `membersVersion` (the version the changes read), or to the current members when the job does
   * not say.
   */
  async deliver(conversationId: string, changes: readonly TChange[], membersVersion?: number): Promise<void> {
    if (changes.length === 0) return;
    const recipients = await this.members.members(conversationId, membersVersion);
    await this.realtime.changesToUsers(recipients, conversationId, changes);
  }
}
