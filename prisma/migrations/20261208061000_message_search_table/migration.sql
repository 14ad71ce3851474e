-- Not expressible in schema.prisma --------------------------------------------------------

-- Message search, eighth session (see bench/README.md "Message search at 1,000,000 messages,
-- eighth session"): the search vector in a table of its own, written only when a text is.
--
-- The vector was a generated column of "Message": every change of a message (a reaction, a
-- reply counted on its root) computed it again, and, since each change also sets the indexed
-- "eventSeq" (no HOT update), wrote all its ~18 entries into the GIN index again. Now
-- "MessageSearch" holds one row per message that has text, written by the triggers below in
-- the statement that stores, edits or deletes the text, whatever path does it; a change that
-- leaves the text alone does not touch it. It also holds what a search filters and orders its
-- matches by (conversation, sender, time), so a search reads "Message" only for its page.
-- A delete (which empties the body) removes the row: the former words leave the index with it.
--
-- Written so that the bench can run it again after dropping the table and the triggers
-- (bench/src/message-search.bench.ts, `--without-search-index` of npm run bench).
CREATE TABLE "MessageSearch" (
  "messageId"      uuid PRIMARY KEY, -- no foreign key: its check would cost every send a lookup and a row lock; the delete trigger below
  "conversationId" uuid NOT NULL,
  "senderId"       uuid,
  "createdAt"      timestamptz(3) NOT NULL,
  -- chatbox_search_vector (*_message_search_prefixes): the words, their three-letter prefixes
  -- and "~<conversationId>"
  "searchVector"   tsvector NOT NULL
);

INSERT INTO "MessageSearch" ("messageId", "conversationId", "senderId", "createdAt", "searchVector")
SELECT "id", "conversationId", "senderId", "createdAt", chatbox_search_vector("body", "conversationId")
FROM "Message" WHERE "body" <> '';

-- As on "Message" before: conversationId first (btree_gin), one lookup per conversation of the
-- caller; no pending list (*_message_search_steady_index).
CREATE INDEX "MessageSearch_conversationId_searchVector_idx" ON "MessageSearch"
  USING GIN ("conversationId", "searchVector") WITH (fastupdate = off);

CREATE OR REPLACE FUNCTION "Message_search_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public."MessageSearch" ("messageId", "conversationId", "senderId", "createdAt", "searchVector")
  VALUES (NEW."id", NEW."conversationId", NEW."senderId", NEW."createdAt", public.chatbox_search_vector(NEW."body", NEW."conversationId"));
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION "Message_search_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."body" = '' THEN
    DELETE FROM public."MessageSearch" WHERE "messageId" = NEW."id";
  ELSE
    INSERT INTO public."MessageSearch" ("messageId", "conversationId", "senderId", "createdAt", "searchVector")
    VALUES (NEW."id", NEW."conversationId", NEW."senderId", NEW."createdAt", public.chatbox_search_vector(NEW."body", NEW."conversationId"))
    ON CONFLICT ("messageId") DO UPDATE SET "searchVector" = EXCLUDED."searchVector";
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER "Message_search_insert"
  AFTER INSERT ON "Message"
  FOR EACH ROW WHEN (NEW."body" <> '')
  EXECUTE FUNCTION "Message_search_insert"();

-- Fires only when the text changed: apply_message_changes names "body" in every change's SET.
CREATE OR REPLACE TRIGGER "Message_search_update"
  AFTER UPDATE OF "body" ON "Message"
  FOR EACH ROW WHEN (OLD."body" IS DISTINCT FROM NEW."body")
  EXECUTE FUNCTION "Message_search_update"();

-- A message deleted as a row (its conversation or its sender deleted) takes its row along.
CREATE OR REPLACE FUNCTION "Message_search_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM public."MessageSearch" WHERE "messageId" = OLD."id";
  RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER "Message_search_delete"
  AFTER DELETE ON "Message"
  FOR EACH ROW
  EXECUTE FUNCTION "Message_search_delete"();

-- The column and its index (rewrites "Message" under an exclusive lock, as adding it did).
ALTER TABLE "Message" DROP COLUMN IF EXISTS "searchVector";
