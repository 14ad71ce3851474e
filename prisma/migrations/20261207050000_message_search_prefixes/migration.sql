-- Not expressible in schema.prisma --------------------------------------------------------

-- Message search, second version (see bench/README.md "Message search"): prefixes looked up as
-- exact lexemes.
--
-- A prefix used to be a partial match (to_tsquery('budg:*')), for which GIN gathers every
-- match of every lexeme starting so in the whole table before anything else narrows it
-- (170,000 for `budg*` among 1,000,000 messages: ~100 ms, whoever asks). Now each word of three
-- letters or more also gives the lexeme '^' and its first three letters ('^bud' for "budget"):
-- a prefix of three letters or more is looked up as that one lexeme, like a word, and checked
-- against the message's own vector (messageSearchSql). Shorter prefixes stay partial matches.
-- '^', like '~' below, starts no word the parser gives.
--
-- Written by this file so that the bench can run it again (bench/src/message-search.bench.ts).

-- The vector: the body's words (the configuration chatbox_search of *_message_search: any
-- language, accents folded), their three-letter prefixes, and "~<conversationId>" (a search
-- for a prefix shorter than three letters ORs the caller's conversations as these). One
-- to_tsvector per row; plpgsql because a generated column cannot hold a subquery. The
-- configuration is named with its schema: pg_restore computes the column with an empty search_path.
CREATE OR REPLACE FUNCTION chatbox_search_vector(body text, conversation uuid) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  words tsvector := to_tsvector('public.chatbox_search'::regconfig, body);
  more text[] := ARRAY['~' || conversation::text];
  word text;
BEGIN
  FOREACH word IN ARRAY tsvector_to_array(words) LOOP
    IF length(word) >= 3 THEN
      more := more || ('^' || left(word, 3)); -- array_to_tsvector drops the repeats
    END IF;
  END LOOP;
  RETURN words || array_to_tsvector(more);
END $$;

-- What the index looks up for `prefix*`: its prefix lexeme when the prefix folds to one lexeme
-- of three letters or more, else the partial match itself. Every message matching the prefix
-- holds that lexeme (its word's first three letters are the prefix's).
CREATE OR REPLACE FUNCTION chatbox_search_prefix_match(prefix text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN cardinality(lexemes) = 1 AND length(lexemes[1]) >= 3
              THEN quote_literal('^' || left(lexemes[1], 3))::tsquery
              ELSE to_tsquery('public.chatbox_search'::regconfig, quote_literal(prefix) || ':*') END
  FROM (SELECT tsvector_to_array(to_tsvector('public.chatbox_search'::regconfig, prefix)) AS lexemes) folded
$$;

-- The terms of a search, ANDed (messageSearchSql passes them as arrays: one statement text).
CREATE OR REPLACE AGGREGATE chatbox_tsquery_and(tsquery) (SFUNC = tsquery_and, STYPE = tsquery);

-- The column again with its new definition (its index goes with it). Rewrites "Message" under
-- an exclusive lock, as *_message_search did.
ALTER TABLE "Message" DROP COLUMN IF EXISTS "searchVector";
ALTER TABLE "Message" ADD COLUMN "searchVector" tsvector
  GENERATED ALWAYS AS (chatbox_search_vector("body", "conversationId")) STORED;

-- As before: conversationId first (btree_gin), so that a search looks each of the caller's
-- conversations up on its own, intersecting its entries with the words' inside the index.
CREATE INDEX "Message_conversationId_searchVector_idx" ON "Message" USING GIN ("conversationId", "searchVector");
