/**
 * What one membership operation changed, by user: who joined or was added (they get
 * `conversation` "added"), who left or was removed ("removed"), and the members who stayed
 * and should refresh memberCount or ownership ("updated").
 */
export type MembershipChange = {
  conversationId: string;
  added: string[];
  removed: string[];
  updated: string[];
  /** The member who became owner because the owner left, if any. */
  newOwnerId: string | null;
  /** True when the last member left and the group was archived. */
  archived: boolean;
};

export const noChange = (conversationId: string): MembershipChange => ({
  conversationId,
  added: [],
  removed: [],
  updated: [],
  newOwnerId: null,
  archived: false,
});

export const isNoChange = (c: MembershipChange): boolean => c.added.length + c.removed.length + c.updated.length === 0;
