-- Anonymous questions (API.md "Groups, version 2"; issue 18 item 2).
--
-- A group may take anonymous questions ("anonymousQuestions", set by its owner, with the group's
-- "description"). An anonymous message has no "senderId": its author is kept only as
-- "authorHash" = anonymous_author_hash(author key, its clientMsgId), where the author key is
-- HMAC-SHA256(server secret, user id), computed by the api (libs/server/chat/src/anonymity) and
-- never stored. Without the secret the hash names nobody; with it, only someone who already has
-- the message's own clientMsgId can test one user at a time. Each message's hash differs (the
-- clientMsgId is part of it), so two anonymous messages of one author cannot be linked.
-- The api passes the caller's author key wherever the sender must be recognised: a send's
-- idempotency (a retry of either kind finds the message of the other kind), and edits and
-- deletes below.

ALTER TABLE "Conversation" ADD COLUMN "description" VARCHAR(500) NOT NULL DEFAULT '',
                           ADD COLUMN "anonymousQuestions" BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE "Message" ALTER COLUMN "senderId" DROP NOT NULL,
                      ADD COLUMN "authorHash" VARCHAR(64);
-- exactly one of the two names the author
ALTER TABLE "Message" ADD CONSTRAINT "Message_author_check" CHECK (("senderId" IS NULL) <> ("authorHash" IS NULL));
CREATE UNIQUE INDEX "Message_authorHash_key" ON "Message"("authorHash");

-- Not expressible in schema.prisma --------------------------------------------------------

-- A member's own anonymous messages after their read pointer are not unread for them (the
-- conversation list asks, per conversation, with the member's author key): only anonymous
-- messages are in this index, so that costs nothing where there are none.
CREATE INDEX "Message_anonymous_idx" ON "Message"("conversationId", "seq") WHERE "authorHash" IS NOT NULL;

-- The one definition of the hash, for the send statement (message.repository.ts) and the function
-- below. Null when either part is null (no key: nobody is the anonymous author).
CREATE FUNCTION "anonymous_author_hash"(author_key text, client_msg_id text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN encode(sha256(convert_to(author_key || ':' || client_msg_id, 'UTF8')), 'hex');

-- apply_message_changes as in 20261206051000_message_changes_in_batches, with one more argument,
-- p_author_keys (the caller's author key per change, or null), so that "the sender" of an edit or
-- a delete is also the anonymous author of an anonymous message. Before, the comparisons
-- `t."senderId" <> p_user[i]` were null for a message without a sender, which let anyone through.
DROP FUNCTION "apply_message_changes"(uuid[], uuid[], uuid[], text[], text[], text[], boolean[], text[], boolean[], text[], text[], text[], int);

CREATE FUNCTION "apply_message_changes"(
  p_conversation uuid[], p_message uuid[], p_user uuid[], p_kind text[], p_body text[],
  p_emoji text[], p_admin boolean[], p_mention_names text[], p_everyone boolean[],
  p_editable_kinds text[], p_moderators text[], p_admin_everyone_kinds text[], p_max_reactions int,
  p_author_keys text[]
) RETURNS TABLE (r_verdict text, r_members_version int, r_message "Message") LANGUAGE plpgsql AS $$
DECLARE
  i int;
  t "Message";
  conversation_kind text;
  member_role text;
  user_role text;
  has_mine boolean;
  has_emoji boolean;
  is_sender boolean;
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

    -- the sender: named, or the anonymous author proven by the author key (see the header)
    is_sender := coalesce(t."senderId" = p_user[i], false)
              OR coalesce(t."authorHash" = "anonymous_author_hash"(p_author_keys[i], t."clientMsgId"), false);
    has_mine := EXISTS (SELECT 1 FROM jsonb_array_elements(t."reactions") x
                        WHERE x->>'emoji' = p_emoji[i] AND x->'userIds' ? p_user[i]::text);
    has_emoji := EXISTS (SELECT 1 FROM jsonb_array_elements(t."reactions") x WHERE x->>'emoji' = p_emoji[i]);
    r_verdict := CASE p_kind[i]
      WHEN 'edit' THEN CASE WHEN NOT is_sender THEN 'forbidden'
                            WHEN t."deletedAt" IS NOT NULL THEN 'deleted' ELSE 'change' END
      WHEN 'delete' THEN CASE WHEN NOT is_sender AND NOT p_admin[i] AND NOT (conversation_kind || ':' || member_role) = ANY (p_moderators) THEN 'forbidden'
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
