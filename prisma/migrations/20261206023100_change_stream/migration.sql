-- The change stream: changes, not only new messages, ride the outbox; fan-out tells a new
-- message from a change by the eventSeq the message was created with.

-- AlterTable
ALTER TABLE "Message" ADD COLUMN "createdEventSeq" INTEGER;
UPDATE "Message" SET "createdEventSeq" = "seq";
ALTER TABLE "Message" ALTER COLUMN "createdEventSeq" SET NOT NULL;

-- CreateIndex
CREATE INDEX "Message_conversationId_createdEventSeq_idx" ON "Message"("conversationId", "createdEventSeq");

-- The outbox names changes (conversation, eventSeq), no longer messages: a message can change
-- again before its earlier change is relayed, and no row holds any text.
ALTER TABLE "FanoutOutbox" ADD COLUMN "conversationId" UUID, ADD COLUMN "eventSeq" INTEGER;
UPDATE "FanoutOutbox" o SET "conversationId" = m."conversationId", "eventSeq" = m."eventSeq"
FROM "Message" m WHERE m."id" = o."messageId";
DELETE FROM "FanoutOutbox" WHERE "conversationId" IS NULL;
ALTER TABLE "FanoutOutbox" DROP CONSTRAINT "FanoutOutbox_pkey";
ALTER TABLE "FanoutOutbox" DROP COLUMN "messageId";
ALTER TABLE "FanoutOutbox" ALTER COLUMN "conversationId" SET NOT NULL, ALTER COLUMN "eventSeq" SET NOT NULL;
ALTER TABLE "FanoutOutbox" ADD CONSTRAINT "FanoutOutbox_pkey" PRIMARY KEY ("conversationId", "eventSeq");
