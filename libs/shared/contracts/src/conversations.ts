import { z } from 'zod';
import { LIMITS } from './limits';
import { ZId, ZPageQuery, ZSearchQuery, zName, zText } from './common';
import { ZUser } from './users';
import { ZMessage } from './messages';

export const CONVERSATION_KINDS = ['direct', 'group', 'all'] as const;
export const VISIBILITIES = ['public', 'private'] as const;
export const ROLES = ['owner', 'member'] as const;
export type TConversationKind = (typeof CONVERSATION_KINDS)[number];
export type TVisibility = (typeof VISIBILITIES)[number];
export type TRole = (typeof ROLES)[number];
export const NOTIFY_LEVELS = ['all', 'mentions', 'none'] as const;
export type TNotifyLevel = (typeof NOTIFY_LEVELS)[number];

/**
 * A group with more members than this is "large": its messages notify of mentions only until a
 * member chooses otherwise (a chatty group of 30 is a room, not a conversation).
 */
export const LARGE_GROUP_MEMBERS = 20;

/** PUT /api/conversations/:id/notify (version 2): 200 Conversation with the new level. */
export const ZNotifyBody = z.strictObject(
  { level: z.enum(NOTIFY_LEVELS, { error: 'must be "all", "mentions" or "none"' }) },
  { error: 'is not an allowed field' },
);
export type TNotifyBody = z.infer<typeof ZNotifyBody>;

export const ZConversation = z.object({
  id: z.string(),
  kind: z.enum(CONVERSATION_KINDS),
  name: z.string(),
  visibility: z.enum(VISIBILITIES).optional(),
  role: z.enum(ROLES),
  lastSeq: z.number().int(),
  readSeq: z.number().int(),
  unread: z.number().int(),
  lastMessage: ZMessage.nullable(),
  peer: ZUser.optional(),
  memberCount: z.number().int(),
  /** Version 2: the highest eventSeq (see Message.eventSeq); `changes?after=` catches up to it. */
  lastEventSeq: z.number().int(),
  /** Version 2: the caller's unread messages (not their own) that mention them or @everyone. */
  mentions: z.number().int(),
  /** Version 2: what the caller is notified of; their choice, else the kind's default (everything in direct chats and groups of up to LARGE_GROUP_MEMBERS, mentions in larger groups and in `all`). */
  notify: z.enum(NOTIFY_LEVELS),
  description: z.string(),
  ephemeral: z.boolean(),
  anonymousQuestions: z.boolean(),
});
export type TConversation = z.infer<typeof ZConversation>;

export const ZMember = z.object({ user: ZUser, role: z.enum(ROLES), joinedAt: z.string() });
export type TMember = z.infer<typeof ZMember>;

const ZUserIds = z
  .array(ZId, { error: 'must be a list of user ids' })
  .max(LIMITS.addMembersMax, `must list at most ${LIMITS.addMembersMax} users`);

/** A group's description (version 2): plain text, line breaks allowed, at most LIMITS.groupDescriptionMax characters. */
const ZGroupDescription = zText()
  .transform((s) => s.trim())
  .pipe(z.string().max(LIMITS.groupDescriptionMax, `must be at most ${LIMITS.groupDescriptionMax} characters`));
const ZAnonymousQuestions = z.boolean({ error: 'must be true or false' });

export const ZCreateGroupBody = z.strictObject({
  name: zName(LIMITS.groupNameMax),
  visibility: z.enum(VISIBILITIES, { error: 'must be "public" or "private"' }).default('private'),
  memberIds: ZUserIds.default([]),
  /** Version 2: messages live in Redis only and vanish with the room's last member. */
  ephemeral: z.boolean({ error: 'must be true or false' }).default(false),
  description: ZGroupDescription.default(''),
  anonymousQuestions: ZAnonymousQuestions.default(false),
});
export type TCreateGroupBody = z.infer<typeof ZCreateGroupBody>;
/** What a client sends (fields with defaults may be left out). */
export type TCreateGroupInput = z.input<typeof ZCreateGroupBody>;

/** PATCH /api/groups/:id (version 2, owner only): what to change, at least one field. */
export const ZUpdateGroupBody = z
  .strictObject(
    { name: zName(LIMITS.groupNameMax).optional(), description: ZGroupDescription.optional(), anonymousQuestions: ZAnonymousQuestions.optional() },
    { error: 'is not an allowed field' },
  )
  .refine((body) => Object.values(body).some((v) => v !== undefined), { error: 'must name at least one of name, description, anonymousQuestions' });
export type TUpdateGroupBody = z.infer<typeof ZUpdateGroupBody>;

export const ZAddMembersBody = z.strictObject({ userIds: ZUserIds.min(1, 'must name at least one user') });
export type TAddMembersBody = z.infer<typeof ZAddMembersBody>;

export const ZOpenDirectBody = z.strictObject({ userId: ZId });
export type TOpenDirectBody = z.infer<typeof ZOpenDirectBody>;

export const ZGroupSearchQuery = ZSearchQuery;
export type TGroupSearchQuery = z.infer<typeof ZGroupSearchQuery>;

/**
 * Extension (not in API.md v1): one row of GET /api/groups. A public group the caller has not
 * joined has no role, which the Conversation shape cannot express; `role` is null then.
 */
export const ZGroupSummary = z.object({
  id: z.string(),
  kind: z.literal('group'),
  name: z.string(),
  visibility: z.enum(VISIBILITIES),
  memberCount: z.number().int(),
  role: z.enum(ROLES).nullable(),
});
export type TGroupSummary = z.infer<typeof ZGroupSummary>;

/** GET /api/conversations and GET /api/groups/:id/members page with limit and cursor. */
export const ZConversationListQuery = ZPageQuery;
export const ZMemberListQuery = ZPageQuery;
