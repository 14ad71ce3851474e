import { Injectable, Logger } from '@nestjs/common';
import type { TConversation, TCreateGroupBody } from '@chatbox/contracts';
import { AppError } from '@chatbox/server-common';
import { ConversationAccess } from '../access/conversation-access.service';
import { ConversationPolicy, policyOf } from '../policies/conversation-policy';
import { BlockService } from '../blocks/block.service';
import { ConversationRepository, directKey } from '../conversations/conversation.repository';
import { ConversationViewService } from '../conversations/conversation-view.service';
import { MembershipRepository } from '../conversations/membership.repository';
import { Db, TransactionRunner } from '../persistence/transaction.runner';
import { UserSearchRepository } from '../search/user-search.repository';
import { MembershipChange, isNoChange, noChange } from './membership-change';
import { MembershipEventsPublisher } from './membership-events.publisher';
import { MembershipNotices } from './membership-notices';
import type { NewNotice } from './notice.repository';
import type { StoredChange } from '../messages/fanout-scheduler.port';
import { EphemeralRoomFiles } from '../ephemeral/ephemeral-room-files';
import { EphemeralRoomStore } from '../ephemeral/ephemeral-room.store';

type GroupSetting = 'description' | 'anonymousQuestions';

/** The caller's view of the conversation after the operation, and what changed for whom. */
export type MembershipResult = { conversation: TConversation; change: MembershipChange };

/**
 * The one place where memberships change: each operation checks access, changes rows in one
 * transaction (group operations hold the conversation's row lock), records what happened as
 * notices of the conversation in that transaction (groups only), and after commit announces the
 * change as `conversation` events and the notices through fan-out, and returns it.
 */
@Injectable()
export class MembershipService {
  private readonly logger = new Logger(MembershipService.name);

  constructor(
    private readonly access: ConversationAccess,
    private readonly tx: TransactionRunner,
    private readonly conversations: ConversationRepository,
    private readonly memberships: MembershipRepository,
    private readonly users: UserSearchRepository,
    private readonly views: ConversationViewService,
    private readonly events: MembershipEventsPublisher,
    private readonly blocks: BlockService,
    private readonly notices: MembershipNotices,
    private readonly ephemeralRooms: EphemeralRoomStore,
    private readonly roomFiles: EphemeralRoomFiles,
  ) {}

  /** The version 2 settings may be left out by callers inside the server (the contract's defaults apply). */
  async createGroup(ownerId: string, body: Omit<TCreateGroupBody, GroupSetting> & Partial<Pick<TCreateGroupBody, GroupSetting>>): Promise<MembershipResult> {
    const memberIds = [...new Set(body.memberIds)].filter((id) => id !== ownerId);
    await this.requireUsers(memberIds, 'memberIds');
    await this.blocks.requireAddable(ownerId, memberIds, 'memberIds');
    const conversationId = await this.tx.run(async (tx) => {
      const id = await this.conversations.createGroup(tx, body.name, body.visibility, {
        description: body.description ?? '',
        anonymousQuestions: body.anonymousQuestions ?? false,
        ephemeral: body.ephemeral,
      });
      await this.memberships.add(tx, id, [
        { userId: ownerId, role: 'owner' },
        ...memberIds.map((userId) => ({ userId, role: 'member' as const })),
      ]);
      if (policyOf('group', body.ephemeral).announcesMembership) await this.notices.recordCreation(tx, id, ownerId, memberIds);
      return id;
    });
    const change: MembershipChange = { ...noChange(conversationId), added: [ownerId, ...memberIds] };
    this.logger.log(`group ${conversationId} created by ${ownerId} with ${change.added.length} members`);
    return this.finish(ownerId, change);
  }

  async addMembers(ownerId: string, conversationId: string, userIds: readonly string[]): Promise<MembershipResult> {
    const { kind, ephemeral } = await this.access.requireOwner(ownerId, conversationId);
    const wanted = [...new Set(userIds)];
    await this.requireUsers(wanted, 'userIds');
    await this.blocks.requireAddable(ownerId, wanted, 'userIds');
    const { change, notices } = await this.tx.run(async (tx) => {
      await this.lockLiveGroup(tx, conversationId);
      if ((await this.memberships.roleOf(conversationId, ownerId, tx)) !== 'owner') {
        throw AppError.forbidden('Only the owner of this group may add members.');
      }
      const added = await this.memberships.add(tx, conversationId, wanted.map((userId) => ({ userId, role: 'member' as const })));
      if (added.length === 0) return { change: noChange(conversationId), notices: [] };
      const addedSet = new Set(added);
      const updated = (await this.memberships.memberIds(conversationId, tx)).filter((id) => !addedSet.has(id));
      const notices = await this.recordNotices(tx, conversationId, policyOf(kind, ephemeral), [{ kind: 'added', actorId: ownerId, userIds: added }]);
      return { change: { ...noChange(conversationId), added, updated }, notices };
    });
    return this.finish(ownerId, change, notices);
  }

  /** Joins a public group; joining a conversation one is already in changes nothing. */
  async join(userId: string, conversationId: string): Promise<MembershipResult> {
    const visible = await this.access.visibleTo(userId, conversationId);
    if (!visible) throw AppError.notFound('Conversation');
    if (visible.membership) return this.finish(userId, noChange(conversationId));
    if (!policyOf(visible.kind).isOpenToNonMembers(visible.visibility)) {
      throw AppError.forbidden('Only public groups can be joined.');
    }
    const { change, notices } = await this.tx.run(async (tx) => {
      await this.lockLiveGroup(tx, conversationId);
      const added = await this.memberships.add(tx, conversationId, [{ userId, role: 'member' }]);
      if (added.length === 0) return { change: noChange(conversationId), notices: [] };
      const updated = (await this.memberships.memberIds(conversationId, tx)).filter((id) => id !== userId);
      const notices = await this.recordNotices(tx, conversationId, policyOf(visible.kind, visible.ephemeral), [{ kind: 'joined', actorId: userId, userIds: [] }]);
      return { change: { ...noChange(conversationId), added, updated }, notices };
    });
    return this.finish(userId, change, notices);
  }

  /**
   * Removes `targetId` from a group: the owner removes anyone, anyone removes themself (leave).
   * The owner leaving hands ownership to the longest-standing member; the last member leaving
   * archives the group, or deletes it with everything in it when its policy says it vanishes (an
   * ephemeral group: the row, its memberships, then its Redis room; the sweeper removes a room
   * whose row went but whose keys a crash left behind). Nobody leaves `all` or a direct conversation.
   */
  async removeMember(callerId: string, conversationId: string, targetId: string): Promise<MembershipChange> {
    const access = await this.access.requireMember(callerId, conversationId);
    const policy = policyOf(access.kind, access.ephemeral);
    if (policy.refusesLeaving) throw AppError.forbidden(policy.refusesLeaving);
    const leaving = targetId === callerId;
    if (!leaving && !policy.mayManage(access.membership.role)) {
      throw AppError.forbidden('Only the owner of this group may remove members.');
    }
    const { change, removedViews, notices } = await this.tx.run(async (tx) => {
      await this.lockLiveGroup(tx, conversationId);
      if (!leaving && (await this.memberships.roleOf(conversationId, callerId, tx)) !== 'owner') {
        throw AppError.forbidden('Only the owner of this group may remove members.');
      }
      const targetRole = await this.memberships.roleOf(conversationId, targetId, tx);
      if (!targetRole) throw AppError.notFound('Member');
      const removedViews = await this.views.forMembers(conversationId, [targetId], tx);
      await this.memberships.remove(tx, conversationId, targetId);
      let newOwnerId: string | null = null;
      let archived = false;
      if (targetRole === 'owner') {
        newOwnerId = await this.memberships.longestStanding(tx, conversationId);
        if (newOwnerId) await this.memberships.setRole(tx, conversationId, newOwnerId, 'owner');
        else archived = true;
      }
      if (archived && policy.vanishesWhenEmpty) await this.conversations.delete(tx, conversationId);
      else if (archived) await this.conversations.archive(tx, conversationId);
      const updated = archived ? [] : await this.memberships.memberIds(conversationId, tx);
      const change: MembershipChange = { conversationId, added: [], removed: [targetId], updated, newOwnerId, archived };
      // an archived group has nobody left to tell
      const told: NewNotice[] = archived ? [] : [leaving ? { kind: 'left', actorId: targetId, userIds: [] } : { kind: 'removed', actorId: callerId, userIds: [targetId] }];
      if (newOwnerId) told.push({ kind: 'owner', actorId: targetId, userIds: [newOwnerId] });
      return { change, removedViews, notices: await this.recordNotices(tx, conversationId, policy, told) };
    });
    if (change.archived && policy.vanishesWhenEmpty) {
      await this.ephemeralRooms.destroy(conversationId);
      // a crash before this leaves the files to the sweeper (their room's row is gone)
      await this.roomFiles.roomGone(conversationId);
    }
    this.logger.log(
      `group ${conversationId}: ${targetId} ${leaving ? 'left' : `removed by ${callerId}`}` +
        (change.newOwnerId ? `, ${change.newOwnerId} is owner now` : '') +
        (change.archived ? ', archived' : ''),
    );
    await this.events.publish(change, removedViews);
    await this.notices.announce(notices);
    return change;
  }

  /** The one direct conversation of the pair, created on first use by either side. */
  async openDirect(userId: string, peerId: string): Promise<MembershipResult & { created: boolean }> {
    if (peerId === userId) throw AppError.validation({ userId: 'must be another user than yourself' });
    if ((await this.users.existingIds([peerId])).size === 0) throw AppError.notFound('User');
    const key = directKey(userId, peerId);
    let conversationId = await this.conversations.findDirect(key);
    let created = false;
    if (!conversationId) {
      // an existing one stays readable to both; only sending in it is refused (MessageService)
      await this.blocks.requireCanOpenDirect(userId, peerId);
      const opened = await this.tx.run(async (tx) => {
        const id = await this.conversations.insertDirect(tx, key);
        // null: the other side won the race; its committed row is visible to this new statement
        if (!id) return { id: await this.conversations.findDirect(key, tx), created: false };
        await this.memberships.add(tx, id, [
          { userId, role: 'member' },
          { userId: peerId, role: 'member' },
        ]);
        return { id, created: true };
      });
      if (!opened.id) throw new Error(`direct conversation ${key} vanished during creation`);
      conversationId = opened.id;
      created = opened.created;
    }
    const change = created ? { ...noChange(conversationId), added: [userId, peerId] } : noChange(conversationId);
    return { ...(await this.finish(userId, change)), created };
  }

  /** Announces the change (and its notices) and answers the caller's view of the conversation. */
  private async finish(userId: string, change: MembershipChange, notices: readonly StoredChange[] = []): Promise<MembershipResult> {
    if (!isNoChange(change)) await this.events.publish(change);
    await this.notices.announce(notices);
    const conversation = await this.views.one(userId, change.conversationId);
    if (!conversation) throw AppError.notFound('Conversation');
    return { conversation, change };
  }

  /** The notices, recorded in the transaction, where the conversation's policy announces membership. */
  private recordNotices(tx: Db, conversationId: string, policy: ConversationPolicy, notices: readonly NewNotice[]): Promise<StoredChange[]> {
    return policy.announcesMembership ? this.notices.record(tx, conversationId, notices) : Promise.resolve([]);
  }

  private async lockLiveGroup(tx: Db, conversationId: string): Promise<void> {
    const locked = await this.conversations.lock(tx, conversationId);
    // archived between the access check and the lock: it looks gone, as to everyone else
    if (!locked || locked.archived) throw AppError.notFound('Conversation');
  }

  private async requireUsers(ids: readonly string[], field: string): Promise<void> {
    const found = await this.users.existingIds(ids);
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw AppError.validation({ [field]: `names unknown users: ${missing.join(', ')}` });
  }
}
