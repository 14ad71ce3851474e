import jwt from 'jsonwebtoken';
import { Client } from 'pg';
import { JWT_ALGORITHM, PasswordHasher } from '@chatbox/server-accounts';

/** One user written by seedUsers: what the driver needs to act as it (no password round trip). */
export type SeededUser = { index: number; id: string; username: string; token: string };

/** How long the seeded logins last: far beyond any bench run. */
const SESSION_SECONDS = 24 * 3600;

/**
 * Bench only (`--seed-users`): users `b<runId>_<i>` for i in [start, start + count), written
 * straight into the bench database with ONE precomputed password hash, each with its membership
 * of `all` (as registration makes it: `all`'s history read) and a session, and an access token
 * the bench signs with the stack's JWT secret, as TokenService.issue would. Registering 10,000
 * users through POST /auth/register hashes 10,000 passwords and measures sign-up, not the load
 * the phases are about; every later request and socket of these users goes through the public
 * API as usual. The results say so (`setup.seededUsers`).
 */
export async function seedUsers(databaseUrl: string, jwtSecret: string, runId: string, start: number, count: number, password: string): Promise<SeededUser[]> {
  const passwordHash = await new PasswordHasher(4).hash(password);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    const users = await client.query<{ id: string; username: string; i: number }>(
      `INSERT INTO "User" ("id", "username", "usernameKey", "displayName", "passwordHash")
       SELECT gen_random_uuid(), u, u, u, $4
       FROM (SELECT g AS i, 'b' || $1 || '_' || g AS u FROM generate_series($2::int, $2::int + $3::int - 1) AS g) s
       RETURNING "id", "username", split_part("username", '_', 2)::int AS i`,
      [runId, start, count, passwordHash],
    );
    const ids = users.rows.map((r) => r.id);
    await client.query(
      `INSERT INTO "Membership" ("conversationId", "userId", "role", "readSeq")
       SELECT c."id", u, 'member', c."lastSeq" FROM "Conversation" c, unnest($1::uuid[]) AS u WHERE c."kind" = 'all'`,
      [ids],
    );
    const sessions = await client.query<{ id: string; userId: string }>(
      `INSERT INTO "Session" ("id", "userId", "expiresAt")
       SELECT gen_random_uuid(), u, now() + make_interval(secs => $2) FROM unnest($1::uuid[]) AS u
       RETURNING "id", "userId"`,
      [ids, SESSION_SECONDS],
    );
    await client.query('COMMIT');
    const sessionOf = new Map(sessions.rows.map((s) => [s.userId, s.id]));
    return users.rows
      .map((r) => ({
        index: Number(r.i),
        id: r.id,
        username: r.username,
        token: jwt.sign({ sub: r.id, sid: sessionOf.get(r.id) }, jwtSecret, { algorithm: JWT_ALGORITHM, expiresIn: SESSION_SECONDS }),
      }))
      .sort((a, b) => a.index - b.index);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}
