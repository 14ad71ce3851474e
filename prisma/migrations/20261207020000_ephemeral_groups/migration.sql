-- Ephemeral groups (API.md "Groups, version 2"): the flag only. Their messages, edits,
-- reactions, threads and counters live in Redis (libs/server/chat/src/ephemeral); PostgreSQL
-- holds the group's row and its memberships (read pointers are numbers) while the room lives.

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "ephemeral" BOOLEAN NOT NULL DEFAULT false;
