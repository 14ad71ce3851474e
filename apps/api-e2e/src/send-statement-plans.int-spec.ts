import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '@chatbox/server-config';
import { Prisma, PrismaService } from '@chatbox/server-db';
import { AttachmentRepository, MessageRepository, NewMessage } from '@chatbox/server-chat';
import { databaseUrlFor, dropDatabase, migrate, recreateDatabase, withClient } from '@chatbox/tools';

const DATABASE = `${process.env.CHATBOX_TEST_DB ?? 'chatbox_test'}_fresh_plans`;
const GROWN_BY = 3_000;

/**
 * A session plans each statement once (a generic plan, see prisma.service.ts), with what the
 * planner knows of the tables at that moment. On a fresh install that is an empty, never
 * analyzed Message table, and the plan must not make every later use read more as the table
 * grows: phase E on a fresh database spent 4 of PostgreSQL's 14 CPU seconds hashing every
 * top-level message for each batch with a reply, until an ANALYZE made the sessions plan again.
 * Each statement below is planned on the empty tables (before), used again after GROWN_BY
 * messages (the tests).
 */
describe('statements on a database that grows under their plans', () => {
  const config = loadConfig();
  const serverUrl = databaseUrlFor(config.databaseUrl, 'postgres');
  const url = databaseUrlFor(serverUrl, DATABASE);
  let prisma: PrismaService;
  let messages: MessageRepository;
  let attachments: AttachmentRepository;
  let senderId: string;
  let readerId: string;
  let rootId: string;
  let attachmentId: string;
  let conversationId: string;
  let seededConversationId: string;

  before(async () => {
    await recreateDatabase(serverUrl, DATABASE);
    await migrate(url);
    await withClient(url, async (client) => {
      // no ANALYZE during the test (autovacuum would make the sessions plan again, hiding the plan kept)
      await client.query(`ALTER TABLE "Message" SET (autovacuum_enabled = false)`);
      [senderId, readerId] = await Promise.all(
        ['ada', 'bob'].map(
          async (name) =>
            (
              await client.query<{ id: string }>(
                `INSERT INTO "User" ("id", "username", "usernameKey", "displayName", "passwordHash") VALUES (gen_random_uuid(), $1, $1, $1, 'x') RETURNING "id"`,
                [name],
              )
            ).rows[0].id,
        ),
      );
      [conversationId, seededConversationId] = await Promise.all(
        ['talk', 'history'].map(async (name) => {
          const { rows } = await client.query<{ id: string }>(
            `INSERT INTO "Conversation" ("id", "kind", "name", "visibility") VALUES (gen_random_uuid(), 'group', $1, 'private') RETURNING "id"`,
            [name],
          );
          await client.query(`INSERT INTO "Membership" ("conversationId", "userId", "role") VALUES ($1, $2, 'owner'), ($1, $3, 'member')`, [
            rows[0].id,
            senderId,
            readerId,
          ]);
          return rows[0].id;
        }),
      );
    });
    // one connection: every statement below meets the same session and the plan it made first
    prisma = new PrismaService({ ...config, databaseUrl: url, databasePoolSize: 1 });
    messages = new MessageRepository(prisma);
    attachments = new AttachmentRepository(prisma);

    // planned here, on empty tables the planner has never analyzed
    rootId = (await send('root')).id;
    await send('early reply', rootId);
    attachmentId = (
      await prisma.rows<{ id: string }>(Prisma.sql`
        INSERT INTO "Attachment" ("id", "uploaderId", "messageId", "name", "contentType", "size", "storageKey")
        VALUES (gen_random_uuid(), ${senderId}::uuid, ${rootId}::uuid, 'notes.txt', 'text/plain', 5, 'key') RETURNING "id"::text AS "id"`)
    )[0].id;
    assert.ok(await attachments.readable(attachmentId, readerId), 'a member reads the attachment');

    await withClient(url, async (client) => {
      await client.query(
        `INSERT INTO "Message" ("id", "conversationId", "seq", "eventSeq", "createdEventSeq", "senderId", "body", "clientMsgId")
         SELECT gen_random_uuid(), $1, g, g, g, $2, 'seeded ' || g, 'seed-' || g FROM generate_series(1, $3::int) AS g`,
        [seededConversationId, senderId, GROWN_BY],
      );
      await client.query(`UPDATE "Conversation" SET "lastSeq" = $2, "lastEventSeq" = $2 WHERE "id" = $1`, [seededConversationId, GROWN_BY]);
    });
  });
  after(async () => {
    await prisma.onModuleDestroy(); // its pool too (Prisma ends it only if it ever connected)
    await dropDatabase(serverUrl, DATABASE);
  });

  const send = async (clientMsgId: string, threadRootId?: string) => {
    const message: NewMessage = {
      ord: 0,
      conversationId,
      senderId,
      clientMsgId,
      body: clientMsgId,
      threadRootId,
      mentions: { names: '', everyone: false },
      anonymous: false,
      authorKey: 'key',
    };
    const stored = (await messages.insertBatch([message])).stored.get(0);
    assert.ok(stored, `${clientMsgId} stored`);
    return stored.message;
  };

  /** Message rows and index entries read so far, as the session's statistics say once flushed. */
  const messageRowsRead = async (): Promise<number> => {
    // the session's own counts reach the statistics when it next goes idle
    await prisma.rows(Prisma.sql`SELECT pg_stat_force_next_flush()`);
    const [row] = await prisma.rows<{ read: number }>(Prisma.sql`
      SELECT (SELECT coalesce(seq_tup_read, 0) FROM pg_stat_user_tables WHERE relname = 'Message')
           + (SELECT coalesce(sum(idx_tup_read), 0) FROM pg_stat_user_indexes WHERE relname = 'Message') AS "read"`);
    return Number(row.read);
  };

  test('a reply reads its root by key, however many messages came after the plan was made', async () => {
    const before = await messageRowsRead();
    const reply = await send('late reply', rootId);
    const read = (await messageRowsRead()) - before;
    assert.equal(reply.threadRootId, rootId);
    assert.ok(read < 50, `storing one reply read ${read} Message rows or index entries (the table holds ${GROWN_BY + 3})`);
  });

  test('a member reading an attachment reads its message by key, however many messages came after the plan was made', async () => {
    const before = await messageRowsRead();
    assert.ok(await attachments.readable(attachmentId, readerId), 'a member reads the attachment');
    const read = (await messageRowsRead()) - before;
    assert.ok(read < 50, `reading one attachment read ${read} Message rows or index entries (the table holds ${GROWN_BY + 3})`);
  });
});
