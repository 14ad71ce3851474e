import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { TYPING_RELAY_MS, TYPING_SHOWN_MS, TTypingEvent } from '@chatbox/contracts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { RedisService } from '@chatbox/server-redis';
import { ConversationAccess } from '../access/conversation-access.service';
import { REALTIME_PUBLISHER, RealtimePublisher } from '../realtime-publisher.port';
import { MemberListCache } from '../messages/member-list.cache';
import { SignalThrottle } from './signal-throttle';

/**
 * "X is typing": relayed to the other members at most once every TYPING_RELAY_MS per member and
 * conversation, never stored or queued (a lost one is repeated by the next keystroke).
 */
@Injectable()
export class TypingService implements OnModuleDestroy {
  /** The event, and the member list it goes to (as of the access check: no query of its own). */
  private readonly throttle: SignalThrottle<{ event: TTypingEvent; membersVersion: number }>;

  constructor(
    private readonly access: ConversationAccess,
    private readonly members: MemberListCache,
    @Inject(REALTIME_PUBLISHER) private readonly realtime: RealtimePublisher,
    redis: RedisService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.throttle = new SignalThrottle(redis.client, `${config.redisPrefix}:typing`, TYPING_RELAY_MS, (_key, signal) => this.relay(signal), false);
  }

  async typing(userId: string, conversationId: string): Promise<void> {
    const { membersVersion } = await this.access.requireMember(userId, conversationId);
    const until = new Date(Date.now() + TYPING_SHOWN_MS).toISOString();
    await this.throttle.offer(`${conversationId}:${userId}`, { event: { conversationId, userId, until }, membersVersion });
  }

  /**
   * Their message is sent: what they type next is a new message, announced at once (else typing
   * right after a send would stay unseen for up to TYPING_RELAY_MS).
   */
  async sent(userId: string, conversationId: string): Promise<void> {
    await this.throttle.release(`${conversationId}:${userId}`);
  }

  private async relay({ event, membersVersion }: { event: TTypingEvent; membersVersion: number }): Promise<void> {
    const others = (await this.members.members(event.conversationId, membersVersion)).filter((id) => id !== event.userId);
    await this.realtime.toUsers(others, 'typing', event);
  }

  onModuleDestroy(): void {
    this.throttle.close();
  }
}
