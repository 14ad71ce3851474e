import { Injectable } from '@nestjs/common';
import { MembershipRepository } from '../conversations/membership.repository';

/** Conversations whose member lists are kept; the least recently used go first. */
const MAX_CONVERSATIONS = 1_000;

/**
 * Member lists by conversation and membersVersion. Every membership change bumps the version
 * in the same transaction (trigger), and a send reads the version under the conversation's row
 * lock, so a list cached under the version a message carries is exactly its recipients: no
 * expiry and no invalidation messages are needed. Fan-out reads members once per change.
 */
@Injectable()
export class MemberListCache {
  private readonly lists = new Map<string, { version: number; userIds: string[] }>();

  constructor(private readonly memberships: MembershipRepository) {}

  /** The members at `version`; without one (or when it is not cached), the current members. */
  async members(conversationId: string, version?: number): Promise<string[]> {
    const cached = this.lists.get(conversationId);
    if (cached && version !== undefined && cached.version === version) {
      this.remember(conversationId, cached);
      return cached.userIds;
    }
    const current = await this.memberships.versionedMemberIds(conversationId);
    if (!current) {
      this.lists.delete(conversationId);
      return [];
    }
    if (!cached || current.version >= cached.version) this.remember(conversationId, current);
    return current.userIds;
  }

  /** (Re)inserts it as the most recently used: Map order is the recency order. */
  private remember(conversationId: string, list: { version: number; userIds: string[] }): void {
    this.lists.delete(conversationId);
    this.lists.set(conversationId, list);
    if (this.lists.size > MAX_CONVERSATIONS) this.lists.delete(this.lists.keys().next().value as string);
  }
}
