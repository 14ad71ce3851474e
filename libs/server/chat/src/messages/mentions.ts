import { Prisma } from '@chatbox/server-db';
import { CONVERSATION_KINDS, mentionCandidates, type TConversationKind } from '@chatbox/contracts';
import { AppError } from '@chatbox/server-common';
import { policyOf } from '../policies/conversation-policy';

/**
 * A body's mention candidates as the message statements take them: the names as one
 * space-separated text (usernames have no spaces; one text per message fits unnest) and @everyone.
 */
export type MentionInput = { names: string; everyone: boolean };

export function mentionInputOf(body: string): MentionInput {
  const { usernames, everyone } = mentionCandidates(body);
  return { names: usernames.join(' '), everyone };
}

/**
 * The mentioned members' ids, resolved inside the statement that stores the body: the
 * conversation's members whose usernameKey is one of `names` (non-members and unknown names
 * drop out). Two unique-index lookups per name, no extra round trip; nothing for a body
 * without names.
 */
export const mentionedMembersSql = (conversationId: Prisma.Sql, names: Prisma.Sql): Prisma.Sql => Prisma.sql`
  CASE WHEN ${names} = '' THEN ARRAY[]::uuid[] ELSE ARRAY(
    SELECT mb."userId" FROM "User" u
    JOIN "Membership" mb ON mb."userId" = u."id" AND mb."conversationId" = ${conversationId}
    WHERE u."usernameKey" = ANY(string_to_array(${names}, ' '))
    ORDER BY u."usernameKey") END`;

/** Kinds where @everyone is for admins only (the policies say which). */
const ADMIN_EVERYONE_KINDS: string[] = CONVERSATION_KINDS.filter((kind) => policyOf(kind).everyoneIsForAdmins);

/**
 * True when a body with @everyone may not be stored in the conversation by this sender. Nobody
 * is an admin yet (User has no role column; every user is "member" on the wire), so it is true
 * for every sender in those kinds; when admin roles are stored, admins pass here and in
 * requireMayMention.
 */
export const everyoneRefusedSql = (conversationId: Prisma.Sql): Prisma.Sql => Prisma.sql`
  EXISTS (SELECT 1 FROM "Conversation" ec WHERE ec."id" = ${conversationId} AND ec."kind"::text = ANY(${ADMIN_EVERYONE_KINDS}::text[]))`;

/** The answer when the batch statement refused a body for its @everyone (checked again on the single send). */
export function requireMayMention(kind: TConversationKind, mentions: MentionInput): void {
  // nobody is an admin yet: see everyoneRefusedSql
  if (mentions.everyone && policyOf(kind).everyoneIsForAdmins) {
    throw AppError.forbidden('Only admins may mention @everyone in this conversation.');
  }
}
