import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import type { TMessage } from '@chatbox/contracts';
import type { StoredMessageChange } from './fanout-scheduler.port';
import { MESSAGE_COLUMNS, MessageRow, toMessage } from './message.mapper';
import { POLICY_TABLE } from '../policies/conversation-policy';
import type { MentionInput } from './mentions';

/** One change to an existing message. */
export type MessageChange =
  /** `mentions`: the new text's candidates, resolved against the members in the statement */
  | { kind: 'edit'; body: string; mentions: MentionInput }
  /** `asAdmin`: the caller is an admin, who may delete any message of a conversation they are in */
  | { kind: 'delete'; asAdmin: boolean }
  | { kind: 'react'; emoji: string }
  | { kind: 'unreact'; emoji: string };

/**
 * A change as the caller asks for it: who changes which message of which conversation.
 * `authorKey` (AuthorKeys, edits and deletes): recognises the caller as the author of an
 * anonymous message; without it the caller is the sender of named messages only.
 */
export type ChangeRequest = { conversationId: string; messageId: string; userId: string; change: MessageChange; authorKey?: string };

/**
 * What the statement decided: stored (with the change to fan out), left as it was, or why not
 * (`no_access`: the user is not a member of a live conversation; `not_editable`: its kind
 * allows no edits; `everyone`: an edit saying @everyone where only admins may; `missing`: no such
 * message in it).
 */
export type ChangeOutcome =
  | { outcome: 'changed'; change: StoredMessageChange }
  | { outcome: 'unchanged'; message: TMessage }
  | { outcome: 'no_access' | 'not_editable' | 'everyone' | 'missing' | 'forbidden' | 'deleted' | 'full' };

type Verdict = 'change' | 'unchanged' | Exclude<ChangeOutcome['outcome'], 'changed' | 'unchanged'>;
type ChangeRow = MessageRow & { verdict: Verdict; membersVersion: number | null };

/**
 * Changes to existing messages, a batch at a time: ONE statement (one round trip, one commit)
 * for all of them, access checks included, the SQL function `apply_message_changes` (migration
 * 20261206051000_message_changes_in_batches; its author keys: 20261207030000_anonymous_questions), which locks the batch's conversations in id order
 * (as a send batch does: their eventSeqs commit in order, without gaps), then applies each change
 * in the order given to its message's latest version, with the conversation policies as data
 * (POLICY_TABLE). A refused or idempotent change writes nothing and takes no eventSeq.
 */
@Injectable()
export class MessageChangeRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** One outcome per request, in the order given. */
  async applyBatch(batch: readonly ChangeRequest[], maxReactions: number, opts: { timeoutMs?: number } = {}): Promise<ChangeOutcome[]> {
    const text = (r: ChangeRequest) => (r.change.kind === 'edit' ? r.change.body : null);
    const emoji = (r: ChangeRequest) => (r.change.kind === 'react' || r.change.kind === 'unreact' ? r.change.emoji : null);
    const asAdmin = (r: ChangeRequest) => r.change.kind === 'delete' && r.change.asAdmin;
    const mentionNames = (r: ChangeRequest) => (r.change.kind === 'edit' ? r.change.mentions.names : null);
    const everyone = (r: ChangeRequest) => r.change.kind === 'edit' && r.change.mentions.everyone;
    const rows = await this.prisma.rows<ChangeRow>(Prisma.sql`
      SELECT a."r_verdict" AS "verdict", a."r_members_version" AS "membersVersion", ${MESSAGE_COLUMNS}, u."username", u."displayName"
      FROM "apply_message_changes"(
        ${batch.map((r) => r.conversationId)}::uuid[], ${batch.map((r) => r.messageId)}::uuid[], ${batch.map((r) => r.userId)}::uuid[],
        ${batch.map((r) => r.change.kind)}::text[], ${batch.map(text)}::text[], ${batch.map(emoji)}::text[], ${batch.map(asAdmin)}::boolean[],
        ${batch.map(mentionNames)}::text[], ${batch.map(everyone)}::boolean[],
        ${POLICY_TABLE.editableKinds}::text[], ${POLICY_TABLE.moderators}::text[], ${POLICY_TABLE.adminEveryoneKinds}::text[], ${maxReactions}::int,
        ${batch.map((r) => r.authorKey ?? null)}::text[]
      ) WITH ORDINALITY AS a("r_verdict", "r_members_version", "m", "n")
      CROSS JOIN LATERAL (SELECT (a."m").*) m
      LEFT JOIN "User" u ON u."id" = m."senderId"
      ORDER BY a."n"`, opts);
    return rows.map((row): ChangeOutcome => {
      switch (row.verdict) {
        case 'change':
          return { outcome: 'changed', change: { kind: 'updated', message: toMessage(row), membersVersion: Number(row.membersVersion) } };
        case 'unchanged':
          return { outcome: 'unchanged', message: toMessage(row) };
        default:
          return { outcome: row.verdict };
      }
    });
  }
}
