-- Not expressible in schema.prisma --------------------------------------------------------

-- User search looks for inner substrings past the first character (user_search_inner_index);
-- the whole-name trigram indexes serve no query any more and only slow down every sign-up.
DROP INDEX IF EXISTS "User_usernameKey_trgm_idx";
DROP INDEX IF EXISTS "User_displayName_trgm_idx";
