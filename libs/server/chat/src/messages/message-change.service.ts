import { Injectable } from '@nestjs/common';
import { LIMITS, TMessage } from '@chatbox/contracts';
import { AppError } from '@chatbox/server-common';
import { ConversationAccess } from '../access/conversation-access.service';
import { policyOf } from '../policies/conversation-policy';
import { MessageChange, MessageChangeRepository } from './message-change.repository';
import { SendBatcher } from './send-batcher';
import { mentionInputOf, requireMayMention } from './mentions';

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

  /** The sender only (403); a deleted message cannot be edited (409). The new text's mentions replace the old ones. */
  async edit(userId: string, conversationId: string, messageId: string, body: string): Promise<TMessage> {
    const access = await this.access.requireMember(userId, conversationId);
    if (!policyOf(access.kind).allowsEditing) throw AppError.forbidden('Messages cannot be edited here.');
    const mentions = mentionInputOf(body);
    requireMayMention(access.kind, mentions);
    return this.apply(userId, conversationId, messageId, { kind: 'edit', body, mentions });
  }

  /** The sender, or a member the conversation's policy lets moderate (a group's owner); idempotent. */
  async delete(userId: string, conversationId: string, messageId: string): Promise<void> {
    const access = await this.access.requireMember(userId, conversationId);
    await this.apply(userId, conversationId, messageId, { kind: 'delete', moderate: policyOf(access.kind).mayModerate(access.membership.role) });
  }

  /** Adds (on) or removes the caller's reaction; idempotent; the 21st distinct emoji is a 409. */
  async react(userId: string, conversationId: string, messageId: string, emoji: string, on: boolean): Promise<void> {
    await this.access.requireMember(userId, conversationId);
    await this.apply(userId, conversationId, messageId, on ? { kind: 'react', emoji } : { kind: 'unreact', emoji });
  }

  /** Stores the change and schedules its fan-out; answers the message as it is now. Ids are checked at the edge. */
  private async apply(userId: string, conversationId: string, messageId: string, change: MessageChange): Promise<TMessage> {
    const result = await this.changes.apply(conversationId, messageId, userId, change, LIMITS.reactionsPerMessageMax);
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
