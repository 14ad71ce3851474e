-- Membership notices: a group's membership changes as lines of its conversation (issue 14).
-- Each takes an eventSeq of the conversation's change stream (created: 0) and no seq.

-- CreateEnum
CREATE TYPE "NoticeKind" AS ENUM ('created', 'joined', 'left', 'added', 'removed', 'owner');

-- CreateTable
CREATE TABLE "MembershipNotice" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "conversationId" UUID NOT NULL,
    "eventSeq" INTEGER NOT NULL,
    "afterSeq" INTEGER NOT NULL,
    "kind" "NoticeKind" NOT NULL,
    "actorId" UUID NOT NULL,
    "userIds" UUID[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MembershipNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "MembershipNotice_conversationId_eventSeq_key" ON "MembershipNotice"("conversationId", "eventSeq");

-- CreateIndex
CREATE INDEX "MembershipNotice_conversationId_afterSeq_idx" ON "MembershipNotice"("conversationId", "afterSeq");

-- AddForeignKey
ALTER TABLE "MembershipNotice" ADD CONSTRAINT "MembershipNotice_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MembershipNotice" ADD CONSTRAINT "MembershipNotice_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
