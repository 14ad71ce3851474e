-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "membersVersion" INTEGER NOT NULL DEFAULT 0;


-- Not expressible in schema.prisma --------------------------------------------------------

-- membersVersion changes with every Membership insert or delete, in the same row update that
-- keeps memberCount. A send locks that row too, so the version a send reads names exactly the
-- member list its message goes to, and fan-out workers can cache member lists by version.
CREATE OR REPLACE FUNCTION "Membership_member_count"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE "Conversation" SET "memberCount" = "memberCount" + 1, "membersVersion" = "membersVersion" + 1
    WHERE "id" = NEW."conversationId";
  ELSE
    UPDATE "Conversation" SET "memberCount" = "memberCount" - 1, "membersVersion" = "membersVersion" + 1
    WHERE "id" = OLD."conversationId";
  END IF;
  RETURN NULL;
END
$$;
