import { Inject, Injectable } from '@nestjs/common';
import type { TChangesQuery, THistoryQuery, TMessage, TMessagePageWithNotices, TNotice, TSendMessageBody } from '@chatbox/contracts';
import { answerWithin, AppError } from '@chatbox/server-common';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { ConversationAccess } from '../access/conversation-access.service';
import { policyOf } from '../policies/conversation-policy';
import { BlockService } from '../blocks/block.service';
import { REALTIME_PUBLISHER, RealtimePublisher } from '../realtime-publisher.port';
import { MessageRepository } from './message.repository';
import { NoticeRepository } from '../membership/notice.repository';
import { ReceiptService } from '../signals/receipt.service';
import { TypingService } from '../signals/typing.service';
import { SendBatcher } from './send-batcher';
import { AfterCommit, created } from './after-commit';
import { mentionInputOf, requireMayMention } from './mentions';
import { AttachmentRepository } from '../attachments/attachment.repository';
import { attachmentsRefused } from '../attachments/send-problem';
import { EphemeralRoomDirectory } from '../ephemeral/ephemeral-room.directory';
import { EphemeralMessageService } from '../ephemeral/ephemeral-message.service';
import { AuthorKeys } from '../anonymity/author-keys';
import { GroupSettingsService } from '../groups/group-settings.service';
import type { NewMessage } from './message.repository';

/** Bounds the notices a history page carries (a public group's joins between two messages). */
const NOTICES_PER_PAGE = 100;

export type SendResult = { message: TMessage; created: boolean };

@Injectable()
export class MessageService {
  constructor(
    private readonly access: ConversationAccess,
    private readonly messages: MessageRepository,
    private readonly batcher: SendBatcher,
    private readonly afterCommit: AfterCommit,
    @Inject(REALTIME_PUBLISHER) private readonly realtime: RealtimePublisher,
    private readonly blocks: BlockService,
    private readonly receipts: ReceiptService,
    private readonly typing: TypingService,
    private readonly notices: NoticeRepository,
    private readonly attachments: AttachmentRepository,
    private readonly rooms: EphemeralRoomDirectory,
    private readonly ephemeral: EphemeralMessageService,
    private readonly authorKeys: AuthorKeys,
    private readonly groupSettings: GroupSettingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Stores the message (idempotent by sender + clientMsgId) and answers after commit. A retry
   * returns the stored message with created=false; the same clientMsgId in another
   * conversation is a conflict. Sends go through the SendBatcher; whatever it does not store
   * (an error to report, a duplicate to replay) is sent alone, which answers exactly.
   *
   * Answered within SEND_ANSWER_MS whatever PostgreSQL's connections do: a statement on a
   * connection that carries nothing (a flaky network drops packets and tells nobody) would
   * hold its whole batch until TCP gives up, far past the clients' acknowledgement timeout.
   * Then the answer is `unavailable` and the send may still be stored; the client's retry with
   * the same clientMsgId gets it (created=false) or stores it, never twice.
   */
  send(userId: string, conversationId: string, body: TSendMessageBody): Promise<SendResult> {
    return answerWithin(this.sendAndTell(userId, conversationId, body), this.config.sendAnswerMs, () =>
      AppError.unavailable('The message could not be stored in time; send it again (the same clientMsgId).'),
    );
  }

  private async sendAndTell(userId: string, conversationId: string, body: TSendMessageBody): Promise<SendResult> {
    const result = await this.store(userId, conversationId, body);
    // not waited for: the send is answered. Not for an anonymous message: nothing of its author
    // may change when it is stored.
    if (result.created && !result.message.anonymous) void this.typing.sent(userId, conversationId);
    if (!result.message.anonymous) return result;
    // the author's other browsers learn it is theirs (an ephemeral room's told them before the
    // message itself); this answer goes to the author alone
    const { id: messageId, clientMsgId } = result.message;
    if (result.created && !(await this.rooms.isEphemeral(conversationId))) {
      await this.realtime.toUsers([userId], 'message:yours', { conversationId, messageId, clientMsgId });
    }
    return { ...result, message: { ...result.message, sentByYou: true } };
  }

  private async store(userId: string, conversationId: string, body: TSendMessageBody): Promise<SendResult> {
    // an ephemeral group's messages never reach the batcher's statements (PostgreSQL)
    if (await this.rooms.isEphemeral(conversationId)) return this.ephemeral.send(userId, conversationId, body);
    // mentions are read here and resolved against the members inside the batch's statement
    const mentions = mentionInputOf(body.body);
    const message: Omit<NewMessage, 'ord'> = {
      conversationId,
      senderId: userId,
      clientMsgId: body.clientMsgId,
      body: body.body,
      threadRootId: body.threadRootId,
      attachmentIds: body.attachmentIds,
      mentions,
      anonymous: body.anonymous === true,
      authorKey: this.authorKeys.keyOf(userId),
    };
    const stored = await this.batcher.submit(message);
    if (stored) return { message: stored.message, created: true };
    return this.sendAlone(userId, message);
  }

  private async sendAlone(userId: string, message: Omit<NewMessage, 'ord'>): Promise<SendResult> {
    const { conversationId, mentions } = message;
    const access = await this.access.requireMember(userId, conversationId);
    if (policyOf(access.kind).isBetweenTwo) await this.blocks.requireCanSend(userId, conversationId);
    const result = await this.messages.insert(message);
    if (!result.created) {
      // a retry, or a concurrent duplicate that committed first: answer with what is stored
      const winner = await this.messages.findBySenderAndClientMsgId(userId, message.clientMsgId, message.authorKey);
      if (winner) return this.replay(winner, conversationId);
      if (message.anonymous) await this.groupSettings.requireAnonymousQuestions(conversationId);
      if (message.threadRootId !== undefined && !(await this.messages.isThreadRoot(conversationId, message.threadRootId))) {
        throw AppError.validation({ threadRootId: 'must name a top-level message of this conversation' });
      }
      if (message.attachmentIds?.length) await this.requireAttachable(userId, message.attachmentIds);
      // the statement refused its @everyone (it reads the sender's stored role: admins pass there)
      requireMayMention(access.kind, mentions);
      throw AppError.notFound('Conversation'); // deleted since the access check
    }
    await this.afterCommit.fanOut([created(result.stored), ...result.roots]);
    return { message: result.stored.message, created: true };
  }

  /** 400 naming the first attachment id that is not an unsent upload of the sender. */
  private async requireAttachable(userId: string, ids: readonly string[]): Promise<void> {
    const [problem] = await this.attachments.sendProblems(userId, ids);
    if (problem) throw attachmentsRefused(problem);
  }

  /** A page of history, with the membership notices placed among its messages (ZMessagePageWithNotices). */
  async history(userId: string, conversationId: string, query: THistoryQuery): Promise<TMessagePageWithNotices> {
    if (await this.rooms.isEphemeral(conversationId)) return this.ephemeral.history(userId, conversationId, query);
    const items = await this.access.readAsMember(userId, conversationId, () => this.messages.page(conversationId, userId, query, this.authorKeys.keyOf(userId)));
    return { items, nextCursor: null, notices: await this.noticesOfPage(conversationId, query, items) };
  }

  /**
   * What changed after an eventSeq, each message once in its current state (API.md "Changes"),
   * and the notices in the same stretch of the stream: a page ends where the first of the two
   * lists filled up, so nothing is skipped on the next page.
   */
  async changes(userId: string, conversationId: string, query: TChangesQuery): Promise<TMessagePageWithNotices> {
    if (await this.rooms.isEphemeral(conversationId)) return this.ephemeral.changes(userId, conversationId, query);
    const items = await this.access.readAsMember(userId, conversationId, () =>
      this.messages.changesSince(conversationId, userId, query.after, query.limit, this.authorKeys.keyOf(userId)),
    );
    const notices = await this.notices.since(conversationId, query.after, query.limit);
    const ends = [items, notices].filter((list) => list.length === query.limit).map((list) => list[list.length - 1].eventSeq);
    if (ends.length === 0) return { items, nextCursor: null, notices };
    const end = Math.min(...ends);
    return { items: items.filter((m) => m.eventSeq <= end), nextCursor: String(end), notices: notices.filter((n) => n.eventSeq <= end) };
  }

  /**
   * Moves the read pointer forward (capped at the newest seq), tells the user's other tabs, and
   * the members (a receipt) when the user shares receipts.
   */
  async markRead(userId: string, conversationId: string, seq: number): Promise<number> {
    const access = await this.access.requireMember(userId, conversationId);
    const { readSeq, moved, shares } =
      policyOf(access.kind, access.ephemeral).messagesLiveIn === 'redis'
        ? await this.ephemeral.markRead(access, userId, seq)
        : await this.messages.markRead(conversationId, userId, seq);
    if (moved) await this.realtime.toUsers([userId], 'read', { conversationId, readSeq });
    if (moved && shares) await this.receipts.moved({ conversationId, userId, readSeq });
    return readSeq;
  }

  /**
   * The notices placed within a page (from just before its first message to just after its
   * last; on to the end when nothing newer exists beyond it). Thread pages have none.
   */
  private async noticesOfPage(conversationId: string, query: THistoryQuery, items: readonly TMessage[]): Promise<TNotice[]> {
    if (query.thread !== undefined) return [];
    // the newest page, or a catch-up page that reached the end
    const newest = query.before === undefined && query.around === undefined && (query.after === undefined || items.length < query.limit);
    if (items.length === 0) return newest ? this.notices.placed(conversationId, query.after ?? 0, null, NOTICES_PER_PAGE) : [];
    const to = newest ? null : items[items.length - 1].seq;
    return this.notices.placed(conversationId, items[0].seq - 1, to, NOTICES_PER_PAGE);
  }

  private replay(stored: TMessage, conversationId: string): SendResult {
    if (stored.conversationId !== conversationId) {
      throw AppError.conflict('This clientMsgId was already used for another conversation.', {
        clientMsgId: 'was already used in another conversation',
      });
    }
    return { message: stored, created: false };
  }
}
