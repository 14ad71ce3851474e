-- Issue 18: files in vanishing rooms and in anonymous questions.
--
-- An upload sent in an anonymous question forgets its uploader: the row would otherwise name
-- the asker. Its author still reads it as a member of the conversation.
ALTER TABLE "Attachment" ALTER COLUMN "uploaderId" DROP NOT NULL;

-- An upload sent in an ephemeral room: the message lives in Redis only, so the row names the room
-- and the message's id there (no foreign keys: neither is a row the attachment may follow). The
-- row holds the file's metadata only, never the message's text, and is marked deleted with the
-- message, with the room, and at the room's time-to-live after "sentAt".
ALTER TABLE "Attachment" ADD COLUMN "roomId" UUID;
ALTER TABLE "Attachment" ADD COLUMN "roomMessageId" UUID;
ALTER TABLE "Attachment" ADD COLUMN "sentAt" TIMESTAMPTZ(3);

CREATE INDEX "Attachment_room_idx" ON "Attachment"("roomId", "sentAt") WHERE "roomId" IS NOT NULL AND "deletedAt" IS NULL;
