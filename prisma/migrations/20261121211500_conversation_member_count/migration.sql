-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "memberCount" INTEGER NOT NULL DEFAULT 0;


-- Not expressible in schema.prisma --------------------------------------------------------

-- memberCount follows the Membership rows whoever writes them (registration joins `all`,
-- groups and direct chats join theirs): counting `all` on every conversation list read would
-- scan one index entry per user.
UPDATE "Conversation" c SET "memberCount" = (SELECT count(*) FROM "Membership" m WHERE m."conversationId" = c.id);

CREATE FUNCTION "Membership_member_count"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE "Conversation" SET "memberCount" = "memberCount" + 1 WHERE "id" = NEW."conversationId";
  ELSE
    UPDATE "Conversation" SET "memberCount" = "memberCount" - 1 WHERE "id" = OLD."conversationId";
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Membership_member_count" AFTER INSERT OR DELETE ON "Membership"
  FOR EACH ROW EXECUTE FUNCTION "Membership_member_count"();
