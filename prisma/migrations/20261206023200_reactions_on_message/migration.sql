-- Reactions live on their message: every change to a message is then one row update, which
-- PostgreSQL applies to the row's latest version (no stale read of another table under
-- concurrent changes), and the updated row is the full current Message for the change stream.

-- DropTable
DROP TABLE "Reaction";

-- AlterTable: [{emoji, userIds}] ordered by first use
ALTER TABLE "Message" ADD COLUMN "reactions" JSONB NOT NULL DEFAULT '[]';
