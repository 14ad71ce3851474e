-- AlterTable: read receipts are shared unless the user turns them off (PATCH /api/me)
ALTER TABLE "User" ADD COLUMN "shareReadReceipts" BOOLEAN NOT NULL DEFAULT true;
