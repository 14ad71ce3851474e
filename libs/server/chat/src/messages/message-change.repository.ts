import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '@chatbox/server-db';
import type { StoredChange } from './fanout-scheduler.port';
import type { TMessage } from '@chatbox/contracts';
import { MessageRow, SELECT_MESSAGE, toMessage } from './message.mapper';
import { mentionedMembersSql, MentionInput } from './mentions';

/**
 * One change to an existing message. `moderate`: the caller may delete others' messages (the
 * conversation's policy decided it before the statement).
 */
export type MessageChange =
  | { kind: 'edit'; body: string; mentions: MentionInput }
  | { kind: 'delete'; moderate: boolean }
  | { kind: 'react'; emoji: string }
  | { kind: 'unreact'; emoji: string };

/** What the statement decided: stored (with the change to fan out), or why not. */
export type ChangeOutcome =
  | { outcome: 'changed'; change: StoredChange }
  | { outcome: 'unchanged' | 'forbidden' | 'deleted' | 'full' | 'missing' };

type Verdict = 'change' | 'unchanged' | 'forbidden' | 'deleted' | 'full';

/** `t` is the target row, locked; $u the caller, $e the emoji. */
const has = (e: string, u: string) => Prisma.sql`EXISTS (SELECT 1 FROM jsonb_array_elements(t."reactions") x WHERE x->>'emoji' = ${e} AND x->'userIds' ? ${u})`;
const hasEmoji = (e: string) => Prisma.sql`EXISTS (SELECT 1 FROM jsonb_array_elements(t."reactions") x WHERE x->>'emoji' = ${e})`;

function verdictOf(change: MessageChange, userId: string, maxReactions: number): Prisma.Sql {
  switch (change.kind) {
    case 'edit':
      return Prisma.sql`CASE WHEN t."senderId" <> ${userId}::uuid THEN 'forbidden' WHEN t."deletedAt" IS NOT NULL THEN 'deleted' ELSE 'change' END`;
    case 'delete':
      return Prisma.sql`CASE WHEN t."senderId" <> ${userId}::uuid AND NOT ${change.moderate}::boolean THEN 'forbidden'
                             WHEN t."deletedAt" IS NOT NULL THEN 'unchanged' ELSE 'change' END`;
    case 'react':
      return Prisma.sql`CASE WHEN t."deletedAt" IS NOT NULL THEN 'deleted' WHEN ${has(change.emoji, userId)} THEN 'unchanged'
                             WHEN NOT ${hasEmoji(change.emoji)} AND jsonb_array_length(t."reactions") >= ${maxReactions} THEN 'full'
                             ELSE 'change' END`;
    case 'unreact':
      return Prisma.sql`CASE WHEN ${has(change.emoji, userId)} THEN 'change' ELSE 'unchanged' END`;
  }
}

/** The columns the change sets on `m` (the message row, whose current values the expressions read). */
function setOf(change: MessageChange, userId: string): Prisma.Sql {
  switch (change.kind) {
    case 'edit':
      // the new text's mentions replace the old ones
      return Prisma.sql`"body" = ${change.body}, "editedAt" = now(),
        "mentionUserIds" = ${mentionedMembersSql(Prisma.raw('m."conversationId"'), Prisma.sql`${change.mentions.names}::text`)},
        "mentionsEveryone" = ${change.mentions.everyone}`;
    case 'delete':
      // erased, not hidden: the text, its mentions and the reactions are gone from the row
      return Prisma.sql`"body" = '', "deletedAt" = now(), "reactions" = '[]'::jsonb, "mentionUserIds" = ARRAY[]::uuid[], "mentionsEveryone" = false`;
    case 'react':
      // the user joins the emoji's list, or the emoji is appended (lists keep the order of first use)
      return Prisma.sql`"reactions" = CASE
        WHEN EXISTS (SELECT 1 FROM jsonb_array_elements(m."reactions") x WHERE x->>'emoji' = ${change.emoji}) THEN
          (SELECT jsonb_agg(CASE WHEN x->>'emoji' = ${change.emoji} THEN jsonb_set(x, '{userIds}', (x->'userIds') || to_jsonb(${userId}::text)) ELSE x END ORDER BY n)
           FROM jsonb_array_elements(m."reactions") WITH ORDINALITY AS r(x, n))
        ELSE m."reactions" || jsonb_build_array(jsonb_build_object('emoji', ${change.emoji}::text, 'userIds', jsonb_build_array(${userId}::text)))
        END`;
    case 'unreact':
      // the user leaves the emoji's list; an emoji nobody uses any more is dropped
      return Prisma.sql`"reactions" = (
        SELECT coalesce(jsonb_agg(y ORDER BY n), '[]'::jsonb)
        FROM (SELECT CASE WHEN x->>'emoji' = ${change.emoji} THEN jsonb_set(x, '{userIds}', (x->'userIds') - ${userId}::text) ELSE x END AS y, n
              FROM jsonb_array_elements(m."reactions") WITH ORDINALITY AS r(x, n)) s
        WHERE jsonb_array_length(y->'userIds') > 0)`;
  }
}

type ChangeRow = MessageRow & { verdict: Verdict; membersVersion: number | null };

/**
 * Changes to existing messages, each in ONE statement (one round trip, one commit): it locks the
 * conversation row (as sends do: changes and sends of a conversation commit their eventSeqs in
 * order, without gaps), locks the message row (FOR UPDATE reads its latest committed version,
 * even one committed while waiting), decides from that row, and only when there is a change
 * bumps lastEventSeq, updates the message (expressions on its current values) and writes the
 * outbox row. A refused or idempotent change writes nothing and takes no eventSeq.
 */
@Injectable()
export class MessageChangeRepository {
  constructor(private readonly prisma: PrismaService) {}

  async apply(conversationId: string, messageId: string, userId: string, change: MessageChange, maxReactions: number): Promise<ChangeOutcome> {
    const [row] = await this.prisma.rows<ChangeRow>(Prisma.sql`
      WITH locked AS MATERIALIZED (
        SELECT c."id" FROM "Conversation" c WHERE c."id" = ${conversationId}::uuid AND c."archivedAt" IS NULL FOR UPDATE
      ), target AS MATERIALIZED (
        SELECT m.* FROM "Message" m JOIN locked ON locked."id" = m."conversationId" WHERE m."id" = ${messageId}::uuid FOR UPDATE OF m
      ), verdict AS MATERIALIZED (
        SELECT (${verdictOf(change, userId, maxReactions)})::text AS verdict FROM target t
      ), bump AS (
        UPDATE "Conversation" c SET "lastEventSeq" = c."lastEventSeq" + 1
        FROM verdict v WHERE c."id" = ${conversationId}::uuid AND v.verdict = 'change'
        RETURNING c."lastEventSeq", c."membersVersion"
      ), upd AS (
        UPDATE "Message" m SET ${setOf(change, userId)}, "eventSeq" = bump."lastEventSeq"
        FROM bump WHERE m."id" = ${messageId}::uuid
        RETURNING m.*
      ), outbox AS (
        INSERT INTO "FanoutOutbox" ("conversationId", "eventSeq") SELECT "conversationId", "eventSeq" FROM upd
      )
      SELECT v.verdict, bump."membersVersion", upd.*, u."username", u."displayName"
      FROM verdict v LEFT JOIN bump ON true LEFT JOIN upd ON true LEFT JOIN "User" u ON u."id" = upd."senderId"`);
    if (!row) return { outcome: 'missing' };
    if (row.verdict !== 'change') return { outcome: row.verdict };
    return { outcome: 'changed', change: { kind: 'updated', message: toMessage(row), membersVersion: Number(row.membersVersion) } };
  }

  /** The message as it is now (the answer to a change that changed nothing). */
  async current(conversationId: string, messageId: string): Promise<TMessage | null> {
    const [row] = await this.prisma.rows<MessageRow>(Prisma.sql`
      ${SELECT_MESSAGE} WHERE m."id" = ${messageId}::uuid AND m."conversationId" = ${conversationId}::uuid`);
    return row ? toMessage(row) : null;
  }
}
