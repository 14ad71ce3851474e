-- Version 2 shapes: the change counter, edits, deletes, threads and reactions.

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "lastEventSeq" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Message" ADD COLUMN "eventSeq" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "editedAt" TIMESTAMPTZ(3),
ADD COLUMN "deletedAt" TIMESTAMPTZ(3),
ADD COLUMN "threadRootId" UUID,
ADD COLUMN "replyCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "lastReplyAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "Reaction" (
    "messageId" UUID NOT NULL,
    "emoji" VARCHAR(64) NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Reaction_pkey" PRIMARY KEY ("messageId","emoji","userId")
);

-- Until now every message was its conversation's only change: eventSeq starts as seq.
UPDATE "Message" SET "eventSeq" = "seq";
UPDATE "Conversation" SET "lastEventSeq" = "lastSeq";
-- every writer names it from now on (the conversation's counter)
ALTER TABLE "Message" ALTER COLUMN "eventSeq" DROP DEFAULT;

-- CreateIndex
CREATE UNIQUE INDEX "Message_conversationId_eventSeq_key" ON "Message"("conversationId", "eventSeq");

-- CreateIndex
CREATE INDEX "Message_threadRootId_seq_idx" ON "Message"("threadRootId", "seq");

-- CreateIndex
CREATE INDEX "Reaction_userId_idx" ON "Reaction"("userId");

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_threadRootId_fkey" FOREIGN KEY ("threadRootId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reaction" ADD CONSTRAINT "Reaction_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reaction" ADD CONSTRAINT "Reaction_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
