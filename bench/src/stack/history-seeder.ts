import { Client } from 'pg';

/**
 * Inserts `count` messages into one conversation straight with SQL (seq 1..count, one sender,
 * bodies of `bodyBytes`), and moves the conversation's lastSeq and lastEventSeq to match, in one transaction.
 * For phase D only: sending 100,000 messages through the API would take minutes and measure
 * something else. Assumes the conversation has no messages yet.
 */
export async function seedHistory(databaseUrl: string, conversationId: string, senderId: string, count: number, bodyBytes: number): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO "Message" ("id", "conversationId", "seq", "eventSeq", "createdEventSeq", "senderId", "body", "clientMsgId", "createdAt")
       SELECT gen_random_uuid(), $1, g, g, g, $2, rpad('seeded ' || g, $3, 'x'), 'seed-' || g,
              now() - make_interval(secs => ($4 - g) / 1000.0)
       FROM generate_series(1, $4::int) AS g`,
      [conversationId, senderId, bodyBytes, count],
    );
    await client.query(`UPDATE "Conversation" SET "lastSeq" = $2, "lastEventSeq" = $2, "lastActivityAt" = now() WHERE "id" = $1`, [conversationId, count]);
    await client.query('COMMIT');
    await client.query('ANALYZE "Message"');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}
