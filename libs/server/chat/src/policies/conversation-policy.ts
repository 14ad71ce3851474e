import type { TConversationKind, TNotifyLevel, TRole, TVisibility } from '@chatbox/contracts';

/** What one kind of conversation allows. Asked in one place (policyOf), never `kind ===` elsewhere. */
export interface ConversationPolicy {
  /** Why a member may not leave, or null when leaving is allowed. */
  refusesLeaving(): string | null;
  /** A non-member may see it exist (and is answered 403 rather than 404) and join it. */
  isOpenToNonMembers(visibility: TVisibility | null): boolean;
  /** The member may manage members and settings (add, remove others). */
  mayManage(role: TRole): boolean;
  /** The member may delete other members' messages. */
  mayModerate(role: TRole): boolean;
  /** A member may edit their own messages. */
  allowsEditing(): boolean;
  /** Notification level before the member chooses one. */
  defaultNotify: TNotifyLevel;
}

const direct: ConversationPolicy = {
  refusesLeaving: () => 'A direct conversation cannot be left.',
  isOpenToNonMembers: () => false,
  mayManage: () => false,
  mayModerate: () => false,
  allowsEditing: () => true,
  defaultNotify: 'all',
};

const group: ConversationPolicy = {
  refusesLeaving: () => null,
  isOpenToNonMembers: (visibility) => visibility === 'public',
  mayManage: (role) => role === 'owner',
  mayModerate: (role) => role === 'owner',
  allowsEditing: () => true,
  defaultNotify: 'all',
};

/** Everyone is in `all`, from registration on: nobody leaves, nobody owns it (admins come later). */
const all: ConversationPolicy = {
  refusesLeaving: () => 'Nobody can leave the all conversation or be removed from it.',
  isOpenToNonMembers: () => false,
  mayManage: () => false,
  mayModerate: () => false,
  allowsEditing: () => true,
  defaultNotify: 'mentions',
};

const POLICIES: Record<TConversationKind, ConversationPolicy> = { direct, group, all };

export const policyOf = (kind: TConversationKind): ConversationPolicy => POLICIES[kind];
