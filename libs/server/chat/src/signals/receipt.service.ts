import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { RECEIPT_INTERVAL_MS, TReceiptEvent, TReceiptList } from '@chatbox/contracts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { RedisService } from '@chatbox/server-redis';
import { ConversationAccess } from '../access/conversation-access.service';
import { REALTIME_PUBLISHER, RealtimePublisher } from '../realtime-publisher.port';
import { MemberListCache } from '../messages/member-list.cache';
import { ReceiptRepository } from './receipt.repository';
import { SignalThrottle } from './signal-throttle';

/**
 * Read receipts from the read pointers that exist anyway (API.md "Read receipts and typing"):
 * the list, and the `receipt` event to every member when a pointer moves, at most one per member
 * and conversation a second (the latest pointer wins), none for users who do not share.
 */
@Injectable()
export class ReceiptService implements OnModuleDestroy {
  private readonly throttle: SignalThrottle<TReceiptEvent>;

  constructor(
    private readonly access: ConversationAccess,
    private readonly receipts: ReceiptRepository,
    private readonly members: MemberListCache,
    @Inject(REALTIME_PUBLISHER) private readonly realtime: RealtimePublisher,
    redis: RedisService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.throttle = new SignalThrottle<TReceiptEvent>(redis.client, `${config.redisPrefix}:receipt`, RECEIPT_INTERVAL_MS, (_key, event) => this.announce(event), true);
  }

  async list(userId: string, conversationId: string): Promise<TReceiptList> {
    const items = await this.access.readAsMember(userId, conversationId, () => this.receipts.sharedIn(conversationId, userId));
    return { items };
  }

  /** A member's pointer moved (the caller already checked they share receipts). */
  async moved(event: TReceiptEvent): Promise<void> {
    await this.throttle.offer(`${event.conversationId}:${event.userId}`, event);
  }

  private async announce(event: TReceiptEvent): Promise<void> {
    await this.realtime.toUsers(await this.members.members(event.conversationId), 'receipt', event);
  }

  onModuleDestroy(): void {
    this.throttle.close();
  }
}
