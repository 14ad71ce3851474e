import { CONVERSATION_KINDS, LARGE_GROUP_MEMBERS, ROLES, type TConversationKind, type TNotifyLevel, type TRole, type TVisibility } from '@chatbox/contracts';

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
  /** The member may delete other members' messages (admins may anywhere: MessageChangeService.delete). */
  mayModerate(role: TRole): boolean;
  /** A member may edit their own messages. */
  allowsEditing: boolean;
  /** Two people only: shown under the other one's name, and a block between them stops sending. */
  isBetweenTwo: boolean;
  /** Has a public/private visibility (answers carry it). */
  hasVisibility: boolean;
  /** Notification level before the member chooses one. */
  defaultNotify(memberCount: number): TNotifyLevel;
  /** Membership changes show in the conversation as notices (joined, left, added, ...). */
  announcesMembership: boolean;
  /** `@everyone` is for admins only (403 to anyone else). */
  everyoneIsForAdmins: boolean;
  /**
   * Where its messages (and their edits, reactions, threads and counters) live: PostgreSQL, or
   * Redis only (an ephemeral room: libs/server/chat/src/ephemeral, ARCHITECTURE.md).
   */
  messagesLiveIn: 'postgres' | 'redis';
  /** The last member leaving deletes it and everything in it (else it is archived). */
  vanishesWhenEmpty: boolean;
  /** Part of its members' data export. */
  isExported: boolean;
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
  announcesMembership: false,
  everyoneIsForAdmins: false,
  messagesLiveIn: 'postgres',
  vanishesWhenEmpty: false,
  isExported: true,
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
  announcesMembership: true,
  everyoneIsForAdmins: false,
  messagesLiveIn: 'postgres',
  vanishesWhenEmpty: false,
  isExported: true,
};

/**
 * A group created with `ephemeral: true`: a group in every rule of who may do what, but nothing
 * it holds reaches PostgreSQL. Membership notices are not kept either: they would be rows of
 * PostgreSQL on the stream's eventSeq, which lives in Redis here.
 */
const ephemeralGroup: ConversationPolicy = {
  ...group,
  announcesMembership: false,
  messagesLiveIn: 'redis',
  vanishesWhenEmpty: true,
  isExported: false,
};

/** Everyone is in `all` from registration on: nobody leaves, nobody owns it (admins moderate it). */
const all: ConversationPolicy = {
  refusesLeaving: 'Nobody can leave the all conversation or be removed from it.',
  isOpenToNonMembers: () => false,
  mayManage: () => false,
  mayModerate: () => false,
  allowsEditing: true,
  isBetweenTwo: false,
  hasVisibility: false,
  defaultNotify: () => 'mentions',
  // everyone joins at registration: a line per new account would bury the conversation
  announcesMembership: false,
  everyoneIsForAdmins: true,
  messagesLiveIn: 'postgres',
  vanishesWhenEmpty: false,
  isExported: true,
};

const POLICIES: Record<TConversationKind, ConversationPolicy> = { direct, group, all };

/** The policy of a conversation: its kind's, or an ephemeral group's (only groups can be ephemeral). */
export const policyOf = (kind: TConversationKind, ephemeral = false): ConversationPolicy =>
  ephemeral && kind === 'group' ? ephemeralGroup : POLICIES[kind];

/**
 * The policies as data, for statements that apply them to many rows at once (the change batch,
 * `apply_message_changes`, the send batch): the kinds whose members may edit their messages,
 * the `kind:role` pairs that may delete others' messages, and the kinds where only admins may
 * mention @everyone. Derived from the policies above.
 */
export const POLICY_TABLE = {
  editableKinds: CONVERSATION_KINDS.filter((kind) => policyOf(kind).allowsEditing),
  moderators: CONVERSATION_KINDS.flatMap((kind) => ROLES.filter((role) => policyOf(kind).mayModerate(role)).map((role) => `${kind}:${role}`)),
  adminEveryoneKinds: CONVERSATION_KINDS.filter((kind) => policyOf(kind).everyoneIsForAdmins),
};

/** The name a conversation is shown under: the other person's for two, else its own (or its kind). */
export const conversationName = (kind: TConversationKind, name: string | null, peerDisplayName: string | null): string =>
  policyOf(kind).isBetweenTwo ? (peerDisplayName ?? '') : (name ?? kind);
