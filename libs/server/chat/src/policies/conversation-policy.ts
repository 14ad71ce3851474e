import { LARGE_GROUP_MEMBERS, type TConversationKind, type TNotifyLevel, type TRole, type TVisibility } from '@chatbox/contracts';

/**
 * What one kind of conversation allows (ARCHITECTURE.md "Kinds of conversation are policies").
 * Services ask policyOf(kind) instead of testing `kind ===`; a new kind (ephemeral rooms, ...)
 * is one more object here.
 */
export interface ConversationPolicy {
  /** Why a member may not leave or be removed, or null when that is allowed. */
  refusesLeaving: string | null;
  /** A non-member may see it exists (answered 403 rather than 404) and join it. */
  isOpenToNonMembers(visibility: TVisibility | null): boolean;
  /** The member may add and remove others (and is the one `requireOwner` lets through). */
  mayManage(role: TRole): boolean;
  /** The member may delete other members' messages. */
  mayModerate(role: TRole): boolean;
  /** A member may edit their own messages. */
  allowsEditing: boolean;
  /** Two people only: shown under the other one's name, and a block between them stops sending. */
  isBetweenTwo: boolean;
  /** Has a public/private visibility (answers carry it). */
  hasVisibility: boolean;
  /** Notification level before the member chooses one. */
  defaultNotify(memberCount: number): TNotifyLevel;
  /** `@everyone` is for admins only (403 to anyone else). */
  everyoneIsForAdmins: boolean;
}

const direct: ConversationPolicy = {
  refusesLeaving: 'A direct conversation cannot be left.',
  isOpenToNonMembers: () => false,
  mayManage: () => false,
  mayModerate: () => false,
  allowsEditing: true,
  isBetweenTwo: true,
  hasVisibility: false,
  defaultNotify: () => 'all',
  everyoneIsForAdmins: false,
};

const group: ConversationPolicy = {
  refusesLeaving: null,
  isOpenToNonMembers: (visibility) => visibility === 'public',
  mayManage: (role) => role === 'owner',
  mayModerate: (role) => role === 'owner',
  allowsEditing: true,
  isBetweenTwo: false,
  hasVisibility: true,
  // everything in a small group; mentions only in a large one, where "all" would be noise
  defaultNotify: (memberCount) => (memberCount > LARGE_GROUP_MEMBERS ? 'mentions' : 'all'),
  everyoneIsForAdmins: false,
};

/** Everyone is in `all` from registration on: nobody leaves, nobody owns it (admins come later). */
const all: ConversationPolicy = {
  refusesLeaving: 'Nobody can leave the all conversation or be removed from it.',
  isOpenToNonMembers: () => false,
  mayManage: () => false,
  mayModerate: () => false,
  allowsEditing: true,
  isBetweenTwo: false,
  hasVisibility: false,
  defaultNotify: () => 'mentions',
  everyoneIsForAdmins: true,
};

const POLICIES: Record<TConversationKind, ConversationPolicy> = { direct, group, all };

export const policyOf = (kind: TConversationKind): ConversationPolicy => POLICIES[kind];
