import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ANONYMOUS_SENDER, LIMITS, mentionCandidates, TAttachment, TChange, TChangesQuery, THistoryQuery, TMessage, TMessagePageWithNotices, TSendMessageBody } from '@chatbox/contracts';
import { AppError } from '@chatbox/server-common';
import { ConversationAccess, MemberAccess } from '../access/conversation-access.service';
import { policyOf } from '../policies/conversation-policy';
import { REALTIME_PUBLISHER, RealtimePublisher } from '../realtime-publisher.port';
import { MemberListCache } from '../messages/member-list.cache';
import { EphemeralRoomRepository } from './ephemeral-room.repository';
import { AppendResult, EphemeralRoomStore, EphemeralState, ROOM_SCAN_MAX } from './ephemeral-room.store';
import { EphemeralRoomFiles } from './ephemeral-room-files';
import { AuthorKeys } from '../anonymity/author-keys';
import { GroupSettingsService } from '../groups/group-settings.service';
import { EphemeralActivity } from './ephemeral-activity';
import { EphemeralSendContexts } from './ephemeral-send-contexts';
import { EphemeralAuthorship } from './ephemeral-authorship';

/** The `kind` of a change to one message, and what it does to its state (null: nothing changes). */
export type EphemeralChange =
  | { kind: 'edit'; body: string }
  | { kind: 'delete'; asAdmin: boolean }
  | { kind: 'react'; emoji: string }
  | { kind: 'unreact'; emoji: string };

/** A compare-and-set that keeps losing is a room under heavy change: give up as a 503 would. */
const MAX_ATTEMPTS = 10;

/**
 * Messages of an ephemeral group (API.md "Groups, version 2"): the same answers, events and
 * order as MessageService and MessageChangeService, stored by EphemeralRoomStore in Redis only.
 * Delivery reuses the publisher the fan-out worker uses (`message`, `messages` to batch
 * sockets, `message:updated`), straight from this process: there is no outbox to relay, since
 * nothing was committed to PostgreSQL. Within a process, changes are published in the order
 * Redis numbered them (the script's answers arrive in order and nothing is awaited between an
 * answer and its publish); a gap seen across api processes is caught up by `changes?after=`.
 */
@Injectable()
export class EphemeralMessageService {
  constructor(
    private readonly access: ConversationAccess,
    private readonly store: EphemeralRoomStore,
    private readonly repo: EphemeralRoomRepository,
    private readonly members: MemberListCache,
    private readonly activity: EphemeralActivity,
    private readonly contexts: EphemeralSendContexts,
    private readonly files: EphemeralRoomFiles,
    private readonly authorKeys: AuthorKeys,
    private readonly authorship: EphemeralAuthorship,
    private readonly groupSettings: GroupSettingsService,
    @Inject(REALTIME_PUBLISHER) private readonly realtime: RealtimePublisher,
  ) {}

  /**
   * An anonymous message is stored with the anonymous sender and its author hash beside it
   * (EphemeralRoomStore.append); its files, if any, forget their uploader (EphemeralRoomFiles).
   */
  async send(userId: string, conversationId: string, body: TSendMessageBody): Promise<{ message: TMessage; created: boolean }> {
    const { usernames, everyone } = mentionCandidates(body.body);
    let context = await this.contexts.read(conversationId, userId, usernames);
    if (!context) {
      await this.access.requireMember(userId, conversationId); // throws the contract's 403 or 404
      context = await this.contexts.read(conversationId, userId, usernames); // a member after all: joined meanwhile
      if (!context) throw AppError.notFound('Conversation');
    }
    const { author, mentioned, membersVersion } = context;
    const anonymous = body.anonymous === true;
    if (anonymous) await this.groupSettings.requireAnonymousQuestions(conversationId);
    if (body.threadRootId !== undefined) await this.requireThreadRoot(conversationId, body.threadRootId);
    const recipients = await this.members.members(conversationId, membersVersion);
    const id = randomUUID();
    const room = { roomId: conversationId, messageId: id };
    const authorHash = this.authorKeys.messageHash(userId, body.clientMsgId);
    let attachments: TAttachment[] = [];
    if (body.attachmentIds?.length) {
      try {
        attachments = await this.files.claim(userId, body.attachmentIds, room, anonymous);
      } catch (err) {
        // a retry of a send that took its files already: the stored message answers it
        const earlier = await this.store.sentBy(conversationId, userId, body.clientMsgId, authorHash);
        if (earlier) return { message: earlier, created: false };
        throw err;
      }
    }
    const state: EphemeralState = {
      id,
      conversationId,
      sender: anonymous ? { ...ANONYMOUS_SENDER } : author,
      body: body.body,
      clientMsgId: body.clientMsgId,
      createdAt: new Date().toISOString(),
      editedAt: null,
      deletedAt: null,
      threadRootId: body.threadRootId ?? null,
      reactions: [],
      mentions: { userIds: mentioned, everyone },
      attachments,
      anonymous,
    };
    const result = await this.appendOrRelease(state, { userId, authorHash }, attachments.length > 0);
    switch (result.outcome) {
      case 'no_root':
        throw threadRootRefused();
      case 'duplicate':
        if (!result.message) throw AppError.notFound('Message');
        return { message: result.message, created: false };
      case 'created': {
        const changes: TChange[] = [{ kind: 'created', message: result.message }];
        if (result.root) changes.push({ kind: 'updated', message: result.root });
        // the author's other browsers learn it is theirs before it arrives (one connection, in
        // order), so none of them takes it for someone else's and marks it read. Not awaited:
        // nothing may come between the append's answer and the publish below.
        if (anonymous) this.realtime.toUsers([userId], 'message:yours', { conversationId, messageId: id, clientMsgId: body.clientMsgId }).catch(() => undefined);
        // published before anything else is awaited: in the order Redis numbered the changes
        await this.realtime.changesToUsers(recipients, conversationId, changes);
        this.activity.touch(conversationId);
        return { message: result.message, created: true };
      }
    }
  }

  /** Appends; files claimed for a message that was not stored are the sender's unsent uploads again. */
  private async appendOrRelease(state: EphemeralState, author: { userId: string; authorHash: string }, claimed: boolean): Promise<AppendResult> {
    let result: AppendResult | undefined;
    try {
      result = await this.store.append(state, author);
      return result;
    } finally {
      if (claimed && result?.outcome !== 'created') await this.files.release(author.userId, { roomId: state.conversationId, messageId: state.id });
    }
  }

  /** History as MessageService.history answers it (no notices: an ephemeral room keeps none). */
  async history(userId: string, conversationId: string, query: THistoryQuery): Promise<TMessagePageWithNotices> {
    await this.access.requireMember(userId, conversationId);
    await this.store.purgeExpired(conversationId);
    return { items: await this.markYours(userId, await this.page(conversationId, query)), nextCursor: null, notices: [] };
  }

  async changes(userId: string, conversationId: string, query: TChangesQuery): Promise<TMessagePageWithNotices> {
    await this.access.requireMember(userId, conversationId);
    await this.store.purgeExpired(conversationId);
    const items = await this.markYours(userId, await this.store.read(conversationId, await this.store.idsByEventSeq(conversationId, query.after, query.limit)));
    const full = items.length === query.limit;
    return { items, nextCursor: full ? String(items[items.length - 1].eventSeq) : null, notices: [] };
  }

  /** Moves the read pointer (a number in the membership row) forward, capped by the room's counter. */
  async markRead(access: MemberAccess, userId: string, seq: number): Promise<{ readSeq: number; moved: boolean; shares: boolean }> {
    const { lastSeq } = await this.store.counters(access.id);
    return this.repo.markRead(access.id, userId, seq, lastSeq);
  }

  /** An edit, delete or reaction: the rules of MessageChangeService, decided here on the current state. */
  async change(userId: string, conversationId: string, messageId: string, change: EphemeralChange): Promise<{ message: TMessage; changed: boolean }> {
    const access = await this.access.requireMember(userId, conversationId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.store.one(conversationId, messageId);
      if (!current) throw AppError.notFound('Message');
      const next = await this.apply(access, userId, current, change);
      if (!next) return { message: current, changed: false };
      const eventSeq = await this.store.replace(conversationId, current.eventSeq, next);
      if (eventSeq === 'missing') throw AppError.notFound('Message');
      if (eventSeq === 'conflict') continue;
      const message: TMessage = { ...current, ...next, eventSeq };
      const recipients = await this.members.members(conversationId, access.membersVersion);
      await this.realtime.changesToUsers(recipients, conversationId, [{ kind: 'updated', message }]);
      if (change.kind === 'delete' && current.attachments.length > 0) await this.files.messageDeleted({ roomId: conversationId, messageId });
      return { message, changed: true };
    }
    throw AppError.unavailable('This message is changing too often; try again.');
  }

  /** The state after the change, or null when it changes nothing; throws what the contract answers. */
  private async apply(access: MemberAccess, userId: string, current: TMessage, change: EphemeralChange): Promise<EphemeralState | null> {
    const state = stateOf(current);
    switch (change.kind) {
      case 'edit': {
        if (!(await this.isAuthor(userId, current))) throw AppError.forbidden('Only its sender may edit a message.');
        if (current.deletedAt) throw AppError.conflict('This message was deleted.');
        const { usernames, everyone } = mentionCandidates(change.body);
        const { mentioned } = await this.repo.authorAndMentioned(current.conversationId, userId, usernames);
        return { ...state, body: change.body, editedAt: new Date().toISOString(), mentions: { userIds: mentioned, everyone } };
      }
      case 'delete': {
        const mayModerate = policyOf(access.kind, access.ephemeral).mayModerate(access.membership.role);
        if (!mayModerate && !change.asAdmin && !(await this.isAuthor(userId, current))) throw AppError.forbidden('You may not delete this message.');
        if (current.deletedAt) return null;
        return { ...state, body: '', reactions: [], attachments: [], mentions: { userIds: [], everyone: false }, deletedAt: new Date().toISOString() };
      }
      case 'react': {
        if (current.deletedAt) throw AppError.conflict('This message was deleted.');
        const existing = current.reactions.find((r) => r.emoji === change.emoji);
        if (existing?.userIds.includes(userId)) return null;
        if (!existing && current.reactions.length >= LIMITS.reactionsPerMessageMax) {
          throw AppError.conflict(`A message takes at most ${LIMITS.reactionsPerMessageMax} different reactions.`);
        }
        const reactions = existing
          ? current.reactions.map((r) => (r.emoji === change.emoji ? { emoji: r.emoji, userIds: [...r.userIds, userId] } : r))
          : [...current.reactions, { emoji: change.emoji, userIds: [userId] }];
        return { ...state, reactions };
      }
      case 'unreact': {
        if (current.deletedAt) throw AppError.conflict('This message was deleted.');
        const existing = current.reactions.find((r) => r.emoji === change.emoji);
        if (!existing?.userIds.includes(userId)) return null;
        const reactions = current.reactions
          .map((r) => (r.emoji === change.emoji ? { emoji: r.emoji, userIds: r.userIds.filter((id) => id !== userId) } : r))
          .filter((r) => r.userIds.length > 0);
        return { ...state, reactions };
      }
    }
  }

  /** The caller's anonymous messages marked `sentByYou` (an answer to the caller only, as MessageService.history). */
  private markYours(userId: string, items: TMessage[]): Promise<TMessage[]> {
    return this.authorship.markYours(userId, items);
  }

  /** Whether the caller wrote the message: by its sender, or by the author hash an anonymous one keeps. */
  private async isAuthor(userId: string, message: TMessage): Promise<boolean> {
    if (!message.anonymous) return message.sender.id === userId;
    const stored = await this.store.authorHash(message.conversationId, message.id);
    return stored !== null && stored === this.authorKeys.messageHash(userId, message.clientMsgId);
  }

  /** A page of history, ascending by seq, as MessageRepository.page answers it. */
  private async page(roomId: string, query: THistoryQuery): Promise<TMessage[]> {
    if (query.thread !== undefined) return this.threadPage(roomId, query.thread, query);
    if (query.around !== undefined) {
      const older = Math.ceil(query.limit / 2);
      const ids = [
        ...(await this.store.idsBySeq(roomId, { before: query.around + 1, limit: older, newest: true })),
        ...(await this.store.idsBySeq(roomId, { after: query.around, limit: query.limit - older })),
      ];
      return this.store.read(roomId, ids);
    }
    if (query.after !== undefined) return this.store.read(roomId, await this.store.idsBySeq(roomId, { after: query.after, limit: query.limit }));
    return this.store.read(roomId, await this.store.idsBySeq(roomId, { before: query.before, limit: query.limit, newest: true }));
  }

  /** A thread's replies: the room's messages in the range, filtered (a room holds one TTL's worth at most). */
  private async threadPage(roomId: string, rootId: string, query: THistoryQuery): Promise<TMessage[]> {
    const newest = query.after === undefined;
    const ids = await this.store.idsBySeq(roomId, { after: query.after, before: query.before, limit: ROOM_SCAN_MAX, newest });
    const replies = (await this.store.read(roomId, ids)).filter((m) => m.threadRootId === rootId);
    return newest ? replies.slice(-query.limit) : replies.slice(0, query.limit);
  }

  private async requireThreadRoot(roomId: string, rootId: string): Promise<void> {
    const root = await this.store.one(roomId, rootId);
    if (!root || root.threadRootId !== null) throw threadRootRefused();
  }
}

const threadRootRefused = () => AppError.validation({ threadRootId: 'must name a top-level message of this conversation' });

function stateOf(message: TMessage): EphemeralState {
  const { seq: _seq, eventSeq: _eventSeq, replyCount: _replyCount, lastReplyAt: _lastReplyAt, ...state } = message;
  return state;
}
