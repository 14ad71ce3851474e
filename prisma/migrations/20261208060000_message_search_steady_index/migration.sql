-- Not expressible in schema.prisma --------------------------------------------------------

-- Message search, eighth session (see bench/README.md "Message search at 1,000,000 messages,
-- eighth session"): the search index without GIN's pending list.
--
-- With `fastupdate` (PostgreSQL's default) a new entry goes first into a pending list, which
-- every index scan reads whole before its own entries, and which the insert that fills it
-- (gin_pending_list_limit, 4 MB: ~10,000 messages here) merges into the index in its own
-- statement. A search looks the index up once per conversation of the caller, so it read the
-- list once per conversation: with 5,000 messages pending, a rare word for a user in 50
-- conversations took ~300 ms instead of ~2-6 ms, and the send that filled the list paid
-- 0.2-0.7 s for the merge. Without the list each insert writes its entries into the index
-- directly: about what the pending list plus its merge cost per message, spread evenly.
ALTER INDEX "Message_conversationId_searchVector_idx" SET (fastupdate = off);
