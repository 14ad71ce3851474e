import { Injectable } from '@nestjs/common';
import { LIMITS, TMessage } from '@chatbox/contracts';
import { AppError } from '@chatbox/server-common';
import { ConversationAccess } from '../access/conversation-access.service';
import { ChangeBatcher } from './change-batcher';
import type { MessageChange } from './message-change.repository';
import { EVERYONE_REFUSED, mentionInputOf } from './mentions';
import { AttachmentPurger } from '../attachments/attachment-purger';
import { EphemeralRoomDirectory } from '../ephemeral/ephemeral-room.directory';
import { EphemeralMessageService } from '../ephemeral/ephemeral-message.service';
import { AuthorKeys } from '../anonymity/author-keys';

/**
 * Edits, deletes and reactions (API.md "Messages: edit, delete, react, reply"): one statement
 * that checks access, decides and stores (a batch's, see ChangeBatcher) and the change's fan-out
 * (the send path's: same outbox, queue and order). Only a change refused for access asks
 * ConversationAccess, whose answer (403 or 404) the contract names.
 */
@Injectable()
export class MessageChangeService {
  constructor(
    private readonly access: ConversationAccess,
    private readonly batcher: ChangeBatcher,
    private readonly purger: AttachmentPurger,
    private readonly rooms: EphemeralRoomDirectory,
    private readonly ephemeral: EphemeralMessageService,
    private readonly authorKeys: AuthorKeys,
  ) {}

  /** The sender only (403); a deleted message cannot be edited (409). The new text's mentions replace the old ones. */
  async edit(userId: string, conversationId: string, messageId: string, body: string): Promise<TMessage> {
    const { message } = await this.apply(userId, conversationId, messageId, { kind: 'edit', body, mentions: mentionInputOf(body) });
    // only its author edits an anonymous message: this answer is theirs (a copy: events keep none)
    return message.anonymous ? { ...message, sentByYou: true } : message;
  }

  /**
   * The sender, a member the conversation's policy lets moderate (a group's owner), or an admin
   * (in any conversation they are a member of); idempotent. Answers who sent a message that this
   * call deleted for someone else (moderation, for the audit log), else null; and whether it
   * deleted an anonymous message, whose author stays unknown (to the audit log too): the caller
   * may be its author or a moderator, and which one is not told. Its attachments went with it in
   * the same transaction; their bytes are removed before this answers.
   */
  async delete(userId: string, conversationId: string, messageId: string, isAdmin = false): Promise<{ moderatedSenderId: string | null; deletedAnonymous: boolean }> {
    const { message, changed } = await this.apply(userId, conversationId, messageId, { kind: 'delete', asAdmin: isAdmin });
    if (changed) await this.purger.afterMessagesDeleted([messageId]);
    const senderId = changed && !message.anonymous ? message.sender.id : null;
    return { moderatedSenderId: senderId !== null && senderId !== userId ? senderId : null, deletedAnonymous: changed && message.anonymous };
  }

  /** Adds (on) or removes the caller's reaction; idempotent; the 21st distinct emoji is a 409. */
  async react(userId: string, conversationId: string, messageId: string, emoji: string, on: boolean): Promise<void> {
    await this.apply(userId, conversationId, messageId, on ? { kind: 'react', emoji } : { kind: 'unreact', emoji });
  }

  /** Stores the change with its fan-out scheduled; answers the message as it is now. Ids are checked at the edge. */
  private async apply(userId: string, conversationId: string, messageId: string, change: MessageChange, retried = false): Promise<{ message: TMessage; changed: boolean }> {
    // an ephemeral group's messages are changed where they live (Redis), by the same rules
    if (await this.rooms.isEphemeral(conversationId)) return this.ephemeral.change(userId, conversationId, messageId, change);
    // only an edit or a delete asks whether the caller wrote the message
    const authorKey = change.kind === 'edit' || change.kind === 'delete' ? this.authorKeys.keyOf(userId) : undefined;
    const result = await this.batcher.submit({ conversationId, messageId, userId, change, authorKey });
    switch (result.outcome) {
      case 'changed':
        return { message: result.change.message, changed: true };
      case 'unchanged':
        return { message: result.message, changed: false };
      case 'no_access':
        // not a member of a live conversation: 404 or 403, as for every conversation-scoped call
        await this.access.requireMember(userId, conversationId);
        // a member after all (joined meanwhile): once more
        if (retried) return notFound();
        return this.apply(userId, conversationId, messageId, change, true);
      case 'not_editable':
        throw AppError.forbidden('Messages cannot be edited here.');
      case 'everyone':
        throw AppError.forbidden(EVERYONE_REFUSED);
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
