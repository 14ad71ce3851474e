import { Injectable, Logger } from '@nestjs/common';
import { toUser, type TUser } from '@chatbox/contracts';
import { AppError, userFieldsOf } from '@chatbox/server-common';
import { PresenceStore } from '@chatbox/server-presence';
import { UserSearchRepository } from '../search/user-search.repository';
import { BlockRepository, BlockRow } from './block.repository';

/** Enough for anyone; keeps GET /api/me/blocks (one unpaginated list) small. */
export const MAX_BLOCKS = 1000;

/**
 * Blocks between two people. A block works both ways for what it stops, whoever set it: neither
 * adds the other to a group, opens a direct conversation with the other, or sends into their
 * direct conversation. Shared groups are not affected (members meet there by the owner's choice).
 */
@Injectable()
export class BlockService {
  private readonly logger = new Logger(BlockService.name);

  constructor(
    private readonly blocks: BlockRepository,
    private readonly users: UserSearchRepository,
    private readonly presence: PresenceStore,
  ) {}

  /** Idempotent: blocking someone already blocked changes nothing. */
  async block(userId: string, targetId: string): Promise<void> {
    await this.requireOtherUser(userId, targetId);
    if ((await this.blocks.between(userId, [targetId])).some((b) => b.blockerId === userId)) return;
    if ((await this.blocks.countBy(userId)) >= MAX_BLOCKS) {
      throw AppError.conflict(`You have blocked ${MAX_BLOCKS} people already; unblock someone first.`);
    }
    await this.blocks.block(userId, targetId);
    this.logger.log(`${userId} blocked ${targetId}`);
  }

  /** Idempotent: unblocking someone not blocked changes nothing. */
  async unblock(userId: string, targetId: string): Promise<void> {
    await this.requireOtherUser(userId, targetId);
    await this.blocks.unblock(userId, targetId);
  }

  async list(userId: string): Promise<{ items: TUser[] }> {
    const rows = await this.blocks.blockedBy(userId);
    const online = await this.presence.onlineAmong(rows.map((r) => r.id));
    return { items: rows.map((r) => toUser(userFieldsOf(r), online.has(r.id))) };
  }

  /**
   * Refuses (403, nothing stored) when a block stands between the caller and any of `userIds`,
   * naming them under `field`: adding people to a group happens only with none of them blocked.
   */
  async requireAddable(callerId: string, userIds: readonly string[], field: string): Promise<void> {
    const found = await this.blocks.between(callerId, userIds);
    if (found.length === 0) return;
    const ids = [...new Set(found.map((b) => otherThan(callerId, b)))];
    throw new AppError('forbidden', `These users cannot be added: one of you has blocked the other (${ids.join(', ')}).`, {
      [field]: `blocked: ${ids.join(', ')}`,
    });
  }

  /** Refuses (403) a new direct conversation between people one of whom blocked the other. */
  async requireCanOpenDirect(callerId: string, peerId: string): Promise<void> {
    const found = await this.blocks.between(callerId, [peerId]);
    if (found.length) throw refusal(callerId, found, 'start a conversation with');
  }

  /** Refuses (403) a send into a direct conversation when a block stands between its members. */
  async requireCanSend(senderId: string, conversationId: string): Promise<void> {
    const found = await this.blocks.directBlocks(conversationId);
    if (found.length) throw refusal(senderId, found, 'send messages to');
  }

  private async requireOtherUser(userId: string, targetId: string): Promise<void> {
    if (targetId === userId) throw AppError.validation({ id: 'must be another user than yourself' });
    if ((await this.users.existingIds([targetId])).size === 0) throw AppError.notFound('User');
  }
}

const otherThan = (userId: string, block: BlockRow): string => (block.blockerId === userId ? block.blockedId : block.blockerId);

/** The blocker is told to unblock first; the blocked one only that it is not possible. */
function refusal(callerId: string, found: readonly BlockRow[], action: string): AppError {
  return found.some((b) => b.blockerId === callerId)
    ? AppError.forbidden(`You have blocked this user; unblock them to ${action} them.`)
    : AppError.forbidden(`You cannot ${action} this user: they have blocked you.`);
}
