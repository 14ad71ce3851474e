-- Attachments (API.md version 2 "Attachments"). The bytes live in the FileStore (the local disk or
-- an S3-compatible service, libs/server/storage); PostgreSQL holds what they are, who uploaded
-- them and which message holds them.

-- CreateTable
CREATE TABLE "Attachment" (
    "id" UUID NOT NULL,
    "uploaderId" UUID NOT NULL,
    "messageId" UUID,
    "name" VARCHAR(255) NOT NULL,
    "contentType" VARCHAR(255) NOT NULL,
    "size" BIGINT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "thumbnailKey" TEXT,
    "width" INTEGER,
    "height" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Attachment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Attachment_messageId_idx" ON "Attachment"("messageId");

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_uploaderId_fkey" FOREIGN KEY ("uploaderId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey: a message removed for good (its conversation's rows deleted) leaves its
-- attachments unsent and old, so the cleanup job removes their bytes
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AlterTable: the message's attachments as it shows them ([{id, name, contentType, size, width,
-- height, thumbnail}] in the order sent), written with the message in the send statement.
-- Attachments never change once sent, so every read of a message (history, changes, fan-out,
-- search, export) has them in the row it reads anyway: no second query, and nothing at all
-- for the messages without any (the constant default).
ALTER TABLE "Message" ADD COLUMN "attachments" JSONB NOT NULL DEFAULT '[]';

-- Not expressible in schema.prisma ---------------------------------------------------------

-- The cleanup job's two sweeps: uploads never sent, by age; and attachments whose message was
-- deleted, whose bytes are still to be removed.
CREATE INDEX "Attachment_unsent_idx" ON "Attachment"("createdAt") WHERE "messageId" IS NULL AND "deletedAt" IS NULL;
CREATE INDEX "Attachment_deleted_idx" ON "Attachment"("deletedAt") WHERE "deletedAt" IS NOT NULL;

-- Deleting a message erases its attachments with its text, whatever path deletes it (today
-- apply_message_changes): the tombstone shows none, and the attachments are marked deleted in
-- the same transaction: nobody can read them any more. Their bytes are removed after the
-- commit (AttachmentPurger); when that fails, the cleanup job retries from the mark.
CREATE FUNCTION "Message_erase_attachments"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."attachments" := '[]'::jsonb;
  UPDATE "Attachment" SET "deletedAt" = now() WHERE "messageId" = NEW."id" AND "deletedAt" IS NULL;
  RETURN NEW;
END
$$;

CREATE TRIGGER "Message_erase_attachments"
  BEFORE UPDATE OF "deletedAt" ON "Message"
  FOR EACH ROW WHEN (OLD."deletedAt" IS NULL AND NEW."deletedAt" IS NOT NULL)
  EXECUTE FUNCTION "Message_erase_attachments"();
