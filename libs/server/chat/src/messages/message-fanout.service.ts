import { Inject, Injectable } from '@nestjs/common';
import { eventSeqOf, TChange } from '@chatbox/contracts';
import { NoticeRepository } from '../membership/notice.repository';
import { REALTIME_PUBLISHER, RealtimePublisher } from '../realtime-publisher.port';
import { MemberListCache } from './member-list.cache';
import { MessageRepository } from './message.repository';

/** The domain side of fan-out: which changes, to whom. Ordering and retries are the job's. */
@Injectable()
export class MessageFanoutService {
  constructor(
    private readonly messages: MessageRepository,
    private readonly notices: NoticeRepository,
    private readonly members: MemberListCache,
    @Inject(REALTIME_PUBLISHER) private readonly realtime: RealtimePublisher,
  ) {}

  /**
   * The stored changes after `after` by `upto`, ascending by current eventSeq, and how far past
   * `upto` they reached (see MessageRepository.changesBetween), membership notices included.
   */
  async between(conversationId: string, after: number, upto: number): Promise<{ changes: TChange[]; reached: number }> {
    const { changes, reached } = await this.messages.changesBetween(conversationId, after, upto);
    // notices never change, so the messages' read decides how far the step reached
    const notices = await this.notices.between(conversationId, after, reached);
    if (notices.length === 0) return { changes, reached };
    const merged = [...changes, ...notices.map((notice) => ({ kind: 'notice' as const, notice }))].sort((a, b) => eventSeqOf(a) - eventSeqOf(b));
    return { changes: merged, reached };
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
