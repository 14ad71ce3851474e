-- Not expressible in schema.prisma --------------------------------------------------------

-- Prefix matches of user search (LIKE 'q%', listed first) as btree range scans: the trigram
-- indexes find substrings, but for a prefix they hand back every row holding q's trigrams
-- anywhere (all the "X Smith" for "smith%") only for the recheck to drop them.
CREATE INDEX "User_usernameKey_prefix_idx" ON "User" ("usernameKey" text_pattern_ops);
CREATE INDEX "User_displayName_prefix_idx" ON "User" (lower("displayName") text_pattern_ops);
