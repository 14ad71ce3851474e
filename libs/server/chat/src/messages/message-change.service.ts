import { Injectable } from '@nestjs/common';
import { LIMITS, TMessage } from '@chatbox/contracts';
import { AppError } from '@chatbox/server-common';
import { ConversationAccess } from '../access/conversation-access.service';
import { policyOf } from '../policies/conversation-policy';
import { ChangeOutcome, MessageChange, MessageChangeRepository } from './message-change.repository';
import { SendBatcher } from './send-batcher';

/**
 * Edits, deletes and reactions (API.md "Messages: edit, delete, react, reply"): access first,
 * then one statement that decides and stores (MessageChangeRepository), then the change's
 * fan-out (the send path's afterCommit: same outbox, queue and order).
 */
@Injectable()
export class MessageChangeService {
  constructor(
    private readonly access: ConversationAccess,
    private readonly changes: MessageChangeRepository,
    private readonly batcher: SendBatcher,
  ) {}

  /** The sender only (403); a deleted message cannot be edited (409). */
  async edit(userId: string, conversationId: string, messageId: string, body: string): Promise<TMessage> {
    const access = await this.access.requireMember(userId, conversationId);
    if (!policyOf(access.kind).allowsEditing) throw AppError.forbidden('Messages cannot be edited here.');
    return this.apply(userId, conversationId, messageId, { kind: 'edit', body });
  }

  /**
   * The sender, a member the conversation's policy lets moderate (a group's owner), or an admin
   * (in any conversation they are a member of); idempotent. Answers who sent a message that this
   * call deleted for someone else (moderation, for the audit log), else null.
   */
  async delete(userId: string, conversationId: string, messageId: string, isAdmin = false): Promise<{ moderatedSenderId: string | null }> {
    const access = await this.access.requireMember(userId, conversationId);
    const moderate = isAdmin || policyOf(access.kind).mayModerate(access.membership.role);
    const result = await this.changes.apply(conversationId, messageId, userId, { kind: 'delete', moderate }, LIMITS.reactionsPerMessageMax);
    await this.settle({ kind: 'delete', moderate }, conversationId, messageId, result);
    const senderId = result.outcome === 'changed' ? result.change.message.sender.id : null;
    return { moderatedSenderId: senderId !== null && senderId !== userId ? senderId : null };
  }

  /** Adds (on) or removes the caller's reaction; idempotent; the 21st distinct emoji is a 409. */
  async react(userId: string, conversationId: string, messageId: string, emoji: string, on: boolean): Promise<void> {
    await this.access.requireMember(userId, conversationId);
    await this.apply(userId, conversationId, messageId, on ? { kind: 'react', emoji } : { kind: 'unreact', emoji });
  }

  /** Stores the change and schedules its fan-out; answers the message as it is now. Ids are checked at the edge. */
  private async apply(userId: string, conversationId: string, messageId: string, change: MessageChange): Promise<TMessage> {
    const result = await this.changes.apply(conversationId, messageId, userId, change, LIMITS.reactionsPerMessageMax);
    return this.settle(change, conversationId, messageId, result);
  }

  private async settle(change: MessageChange, conversationId: string, messageId: string, result: ChangeOutcome): Promise<TMessage> {
    switch (result.outcome) {
      case 'changed':
        await this.batcher.afterCommit([result.change]);
        return result.change.message;
      case 'unchanged':
        return (await this.changes.current(conversationId, messageId)) ?? notFound();
      case 'missing':
        return notFound();
      case 'forbidden':
        throw AppError.forbidden(change.kind === 'edit' ? 'Only its sender may edit a message.' : 'You may not delete this message.');
      case 'deleted':
        throw AppError.conflict('This message was deleted.');
      case 'full':
        throw AppError.conflict(`A message takes at most ${LIMITS.reactionsPerMessageMax} different reactions.`);
    }
  }
}

const notFound = (): never => {
  throw AppError.notFound('Message');
};
