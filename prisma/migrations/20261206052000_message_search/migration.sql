-- Not expressible in schema.prisma --------------------------------------------------------

-- Message search (API.md "Search"). Both extensions are trusted (PostgreSQL 13+): a database
-- owner may create them without being a superuser.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- Any language's words: the "simple" parser and dictionary (no stemming and no stop words, which
-- would suit one language and break the others), each word's accents folded first ("Crème" and
-- "creme", "Καλημέρα" and "καλημερα" are one lexeme). Lower-casing follows the database's
-- LC_CTYPE, which must be a UTF-8 locale (C.UTF-8 here) for Cyrillic and Greek.
CREATE TEXT SEARCH CONFIGURATION chatbox_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION chatbox_search
  ALTER MAPPING FOR word, hword, hword_part WITH unaccent, simple;

-- The body's words, plus one lexeme naming the conversation, "~<conversationId>" (no word can
-- start with "~"). Kept by PostgreSQL itself in the statement that writes the body: a send, an
-- edit and a delete (which empties the body, so a deleted message's former words leave the
-- index with it) update it in their own transaction, and no code writes it. Stored rather than
-- an expression index: ranking reads each candidate's vector, which recomputing would cost more
-- than the search. Adding it rewrites "Message" under an exclusive lock.
ALTER TABLE "Message" ADD COLUMN "searchVector" tsvector GENERATED ALWAYS AS (
  to_tsvector('chatbox_search'::regconfig, "body") || array_to_tsvector(ARRAY['~' || "conversationId"::text])
) STORED;

-- A search looks only inside the caller's conversations, found inside the index in one of two
-- ways (messageSearchSql): words, through conversationId first (btree_gin), one scan per
-- conversation intersecting its entries with the words' (the cheapest for a common word); a
-- prefix, whose every match anywhere such a scan would gather once per conversation, through the
-- conversation lexemes ORed and ANDed with the words in one scan of the second column.
CREATE INDEX "Message_conversationId_searchVector_idx" ON "Message" USING GIN ("conversationId", "searchVector");
