-- Not expressible in schema.prisma --------------------------------------------------------

-- Changes to existing messages (edit, delete, reaction added or removed) are stored in batches,
-- as sends are (group commit): one call of this function stores a whole batch, one round trip
-- and one commit for all of them, instead of an access query and one statement, commit and
-- conversation row lock each (which queued the send batches behind them).
--
-- It locks every conversation of the batch first, in id order (as a send batch does, so batches
-- cannot deadlock), then applies the changes one after the other, in the order given: each checks
-- that its user is a member of the live conversation and what the conversation's kind allows
-- (p_editable_kinds: kinds whose members may edit their messages; p_moderators: 'kind:role' of
-- members who may delete others' messages; both come from the policies in the application),
-- locks its message row (FOR UPDATE reads its latest committed version), decides from that row,
-- and only when there is a change takes the conversation's next eventSeq, updates the message
-- (expressions on its current values, so a later change of the batch builds on an earlier one)
-- and writes the outbox row. A refused or idempotent change writes nothing and takes no eventSeq.
--
-- One row per change, in the order given: r_verdict is 'change', 'unchanged', 'no_access' (not
-- a member of a live conversation: the application tells 403 from 404), 'not_editable',
-- 'everyone' (see Mentions below), 'missing' (no such message in the conversation), 'forbidden', 'deleted' or 'full' (the message
-- holds p_max_reactions other emojis); r_message the message as the change left it (null when
-- there is none to show); r_members_version the conversation's membersVersion when it changed.
-- p_kind: 'edit' (p_body; its mentions: p_mention_names, the candidate usernameKeys separated
-- by spaces, and p_everyone), 'delete' (p_admin: by an admin, who may delete any message of a
-- conversation they are a member of), 'react' and 'unreact' (p_emoji).
--
-- Mentions (columns "mentionUserIds" and "mentionsEveryone", added by 20261206055000_mentions_notify;
-- PL/pgSQL resolves them when the function runs): an edit replaces them with the new text's,
-- the candidates resolved against the conversation's members as the send statement does
-- (mentionedMembersSql in mentions.ts); a delete erases them. An edit saying @everyone in a kind
-- that keeps it for admins (p_admin_everyone_kinds) by a user whose stored role is not admin is
-- refused: r_verdict 'everyone', decided before the message is looked at (as the send path
-- decides it before storing).
CREATE FUNCTION "apply_message_changes"(
  p_conversation uuid[], p_message uuid[], p_user uuid[], p_kind text[], p_body text[],
  p_emoji text[], p_admin boolean[], p_mention_names text[], p_everyone boolean[],
  p_editable_kinds text[], p_moderators text[], p_admin_everyone_kinds text[], p_max_reactions int
) RETURNS TABLE (r_verdict text, r_members_version int, r_message "Message") LANGUAGE plpgsql AS $$
DECLARE
  i int;
  t "Message";
  conversation_kind text;
  member_role text;
  user_role text;
  has_mine boolean;
  has_emoji boolean;
  next_event_seq int;
BEGIN
  PERFORM 1 FROM "Conversation" c
  WHERE c."id" = ANY (p_conversation) AND c."archivedAt" IS NULL
  ORDER BY c."id" FOR UPDATE;

  FOR i IN 1 .. coalesce(array_length(p_kind, 1), 0) LOOP
    r_members_version := NULL;
    r_message := NULL;
    SELECT c."kind"::text, mb."role"::text, u."role"::text INTO conversation_kind, member_role, user_role
    FROM "Conversation" c JOIN "Membership" mb ON mb."conversationId" = c."id" AND mb."userId" = p_user[i]
    JOIN "User" u ON u."id" = mb."userId"
    WHERE c."id" = p_conversation[i] AND c."archivedAt" IS NULL;
    IF NOT FOUND THEN
      r_verdict := 'no_access';
      RETURN NEXT;
      CONTINUE;
    END IF;
    IF p_kind[i] = 'edit' AND NOT conversation_kind = ANY (p_editable_kinds) THEN
      r_verdict := 'not_editable';
      RETURN NEXT;
      CONTINUE;
    END IF;
    IF p_kind[i] = 'edit' AND p_everyone[i] AND conversation_kind = ANY (p_admin_everyone_kinds) AND user_role <> 'admin' THEN
      r_verdict := 'everyone';
      RETURN NEXT;
      CONTINUE;
    END IF;
    SELECT m.* INTO t FROM "Message" m
    WHERE m."id" = p_message[i] AND m."conversationId" = p_conversation[i]
    FOR UPDATE;
    IF NOT FOUND THEN
      r_verdict := 'missing';
      RETURN NEXT;
      CONTINUE;
    END IF;

    has_mine := EXISTS (SELECT 1 FROM jsonb_array_elements(t."reactions") x
                        WHERE x->>'emoji' = p_emoji[i] AND x->'userIds' ? p_user[i]::text);
    has_emoji := EXISTS (SELECT 1 FROM jsonb_array_elements(t."reactions") x WHERE x->>'emoji' = p_emoji[i]);
    r_verdict := CASE p_kind[i]
      WHEN 'edit' THEN CASE WHEN t."senderId" <> p_user[i] THEN 'forbidden'
                            WHEN t."deletedAt" IS NOT NULL THEN 'deleted' ELSE 'change' END
      WHEN 'delete' THEN CASE WHEN t."senderId" <> p_user[i] AND NOT p_admin[i] AND NOT (conversation_kind || ':' || member_role) = ANY (p_moderators) THEN 'forbidden'
                              WHEN t."deletedAt" IS NOT NULL THEN 'unchanged' ELSE 'change' END
      WHEN 'react' THEN CASE WHEN t."deletedAt" IS NOT NULL THEN 'deleted' WHEN has_mine THEN 'unchanged'
                             WHEN NOT has_emoji AND jsonb_array_length(t."reactions") >= p_max_reactions THEN 'full'
                             ELSE 'change' END
      WHEN 'unreact' THEN CASE WHEN has_mine THEN 'change' ELSE 'unchanged' END
    END;

    IF r_verdict = 'change' THEN
      UPDATE "Conversation" c SET "lastEventSeq" = c."lastEventSeq" + 1 WHERE c."id" = p_conversation[i]
      RETURNING c."lastEventSeq", c."membersVersion" INTO next_event_seq, r_members_version;
      UPDATE "Message" m SET
        "eventSeq" = next_event_seq,
        "body" = CASE p_kind[i] WHEN 'edit' THEN p_body[i] WHEN 'delete' THEN '' ELSE m."body" END,
        "editedAt" = CASE p_kind[i] WHEN 'edit' THEN now() ELSE m."editedAt" END,
        "deletedAt" = CASE p_kind[i] WHEN 'delete' THEN now() ELSE m."deletedAt" END,
        -- a delete erases the reactions with the text; a reaction joins its emoji's list, or the
        -- emoji is appended (lists keep the order of first use); a removal drops the user from
        -- its emoji's list, and an emoji nobody uses any more
        "reactions" = CASE p_kind[i]
          WHEN 'delete' THEN '[]'::jsonb
          WHEN 'react' THEN CASE
            WHEN has_emoji THEN
              (SELECT jsonb_agg(CASE WHEN x->>'emoji' = p_emoji[i] THEN jsonb_set(x, '{userIds}', (x->'userIds') || to_jsonb(p_user[i]::text)) ELSE x END ORDER BY n)
               FROM jsonb_array_elements(m."reactions") WITH ORDINALITY AS r(x, n))
            ELSE m."reactions" || jsonb_build_array(jsonb_build_object('emoji', p_emoji[i], 'userIds', jsonb_build_array(p_user[i]::text)))
            END
          WHEN 'unreact' THEN
            (SELECT coalesce(jsonb_agg(y ORDER BY n), '[]'::jsonb)
             FROM (SELECT CASE WHEN x->>'emoji' = p_emoji[i] THEN jsonb_set(x, '{userIds}', (x->'userIds') - p_user[i]::text) ELSE x END AS y, n
                   FROM jsonb_array_elements(m."reactions") WITH ORDINALITY AS r(x, n)) s
             WHERE jsonb_array_length(y->'userIds') > 0)
          ELSE m."reactions"
          END,
        -- the new text's mentions replace the old ones; a delete erases them with the text
        "mentionUserIds" = CASE p_kind[i]
          WHEN 'edit' THEN CASE WHEN coalesce(p_mention_names[i], '') = '' THEN ARRAY[]::uuid[] ELSE ARRAY(
            SELECT mb."userId" FROM "User" u
            JOIN "Membership" mb ON mb."userId" = u."id" AND mb."conversationId" = p_conversation[i]
            WHERE u."usernameKey" = ANY (string_to_array(p_mention_names[i], ' '))
            ORDER BY u."usernameKey") END
          WHEN 'delete' THEN ARRAY[]::uuid[]
          ELSE m."mentionUserIds"
          END,
        "mentionsEveryone" = CASE p_kind[i] WHEN 'edit' THEN p_everyone[i] WHEN 'delete' THEN false ELSE m."mentionsEveryone" END
      WHERE m."id" = t."id"
      RETURNING m.* INTO t;
      INSERT INTO "FanoutOutbox" ("conversationId", "eventSeq") VALUES (p_conversation[i], next_event_seq);
    END IF;
    r_message := t;
    RETURN NEXT;
  END LOOP;
END
$$;
