import { Prisma } from '@chatbox/server-db';
import { mentionCandidates, type TConversationKind } from '@chatbox/contracts';
import { AppError } from '@chatbox/server-common';
import { policyOf, POLICY_TABLE } from '../policies/conversation-policy';

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

/**
 * True when a body with @everyone may not be stored in the conversation by this sender: the
 * conversation's kind keeps @everyone for admins (POLICY_TABLE.adminEveryoneKinds) and the
 * sender's stored role is not admin (read in the storing statement, so a role changed a moment
 * ago counts). Both rows are read by key (scalar subqueries: an EXISTS may be planned as a hash of
 * every matching row, see MessageRepository.insertBatch).
 */
export const everyoneRefusedSql = (conversationId: Prisma.Sql, senderId: Prisma.Sql): Prisma.Sql => Prisma.sql`
  (COALESCE((SELECT ec."kind"::text = ANY(${POLICY_TABLE.adminEveryoneKinds}::text[]) FROM "Conversation" ec WHERE ec."id" = ${conversationId}), false)
   AND NOT COALESCE((SELECT eu."role" = 'admin' FROM "User" eu WHERE eu."id" = ${senderId}), false))`;

export const EVERYONE_REFUSED = 'Only admins may mention @everyone in this conversation.';

/**
 * The answer when the single insert refused a body and no other reason is left (not a duplicate,
 * the thread root is fine, the sender a member): its @everyone, in a kind that keeps it for
 * admins (the statement let admins through, so this sender is none).
 */
export function requireMayMention(kind: TConversationKind, mentions: MentionInput): void {
  if (mentions.everyone && policyOf(kind).everyoneIsForAdmins) throw AppError.forbidden(EVERYONE_REFUSED);
}
