-- Mentions and notification levels (API.md version 2 "Mentions and notifications").

-- CreateEnum
CREATE TYPE "NotifyLevel" AS ENUM ('all', 'mentions', 'none');

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN "notify" "NotifyLevel";

-- AlterTable
ALTER TABLE "Message" ADD COLUMN "mentionUserIds" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[],
ADD COLUMN "mentionsEveryone" BOOLEAN NOT NULL DEFAULT false;

-- Raw SQL (Prisma cannot express partial indexes): only messages that mention someone, by
-- conversation and seq, so counting a member's unread mentions reads mentions only.
CREATE INDEX "Message_mentions_idx" ON "Message"("conversationId", "seq")
  WHERE "mentionsEveryone" OR cardinality("mentionUserIds") > 0;
