import { Client } from 'pg';

/** The URL of database `name` on the server that `serverUrl` points at. */
export function databaseUrlFor(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** One connection to `url` for `fn`, ended after it whatever happens. */
export async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * The database a single-host DATABASE_URL names, created on its server (through the server's
 * `postgres` database) when connecting says it does not exist yet (3D000), as `prisma migrate
 * deploy` does: a fresh server needs no manual CREATE DATABASE. Any other failure, and a
 * multi-host URL, are left to the migration's own connection to report.
 */
export async function ensureDatabaseOf(databaseUrl: string): Promise<void> {
  if (!URL.canParse(databaseUrl)) return;
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  try {
    await withClient(databaseUrl, async () => undefined);
  } catch (err) {
    if ((err as { code?: string }).code !== '3D000' || !name) return;
    await ensureDatabase(databaseUrlFor(databaseUrl, 'postgres'), name);
  }
}

export function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  return withClient(serverUrl, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
  });
}

/** Drops a database, closing its connections (a benchmark's own, when it is done). */
export function dropDatabase(serverUrl: string, name: string): Promise<void> {
  return withClient(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  });
}

/** Drops and creates a database: tests start from an empty, freshly migrated one. */
export function recreateDatabase(serverUrl: string, name: string): Promise<void> {
  return withClient(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
  });
}
