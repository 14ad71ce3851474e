-- Not expressible in schema.prisma --------------------------------------------------------

-- User search, phase 2: substrings that are not prefixes (see userSearchSql). Such a match never
-- starts either name, so the indexes that gather them look only past the first character: "anna"
-- then no longer hands back every user called Anna (all prefix matches, listed before) only for
-- the filter to drop them.
CREATE INDEX "User_usernameKey_inner_trgm_idx" ON "User" USING GIN (substr("usernameKey", 2) gin_trgm_ops);
CREATE INDEX "User_displayName_inner_trgm_idx" ON "User" USING GIN (substr(lower("displayName"), 2) gin_trgm_ops);

-- pg_trgm takes trigrams from runs of three letters or digits: for 1-2 character queries, or
-- ones like "a.b", it scans its whole index. innerGrams holds every 1- and 2-character substring
-- of both case-folded names that does not start at their first character; its GIN index finds
-- the users holding a gram (or all pairs of neighbouring characters of a longer query). A stored
-- column, not an expression index: for a common gram the planner rightly scans rows instead,
-- and recomputing the grams of each row would then cost more than the whole search.
CREATE FUNCTION "User_inner_grams"(username_key text, display_key text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT coalesce(array_agg(DISTINCT gram COLLATE "C"), '{}')
  FROM unnest(ARRAY[username_key, display_key]) AS k(s),
       generate_series(2, length(s)) AS i,
       LATERAL (VALUES (substr(s, i, 1)), (substr(s, i, 2))) AS g(gram)
$$;

-- Adding it rewrites "User" under an exclusive lock: about 10 s per 100,000 users here.
ALTER TABLE "User" ADD COLUMN "innerGrams" text[]
  GENERATED ALWAYS AS ("User_inner_grams"("usernameKey", lower("displayName"))) STORED;
CREATE INDEX "User_innerGrams_idx" ON "User" USING GIN ("innerGrams");

-- The walks along the primary key (a search window tests users one by one, in id order) read
-- ids and names from this index alone: a few index pages instead of one heap page per user.
CREATE INDEX "User_id_names_idx" ON "User" ("id") INCLUDE ("usernameKey", "username", "displayName");
