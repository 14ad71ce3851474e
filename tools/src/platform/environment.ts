import { ensureServices } from '../services/ensure-services';
import { databaseUrlFor, ensureDatabase, recreateDatabase } from '../db/databases';
import { migrate } from '../db/migrate';

export type PlatformEnv = { databaseUrl: string; redisUrl: string };

/** Services up, the development database created and migrated. */
export async function prepareDevelopment(): Promise<PlatformEnv> {
  const services = await ensureServices();
  let databaseUrl = services.databaseUrl;
  if (!databaseUrl) {
    await ensureDatabase(services.postgresServerUrl, 'chatbox');
    databaseUrl = databaseUrlFor(services.postgresServerUrl, 'chatbox');
  }
  await migrate(databaseUrl, console.log);
  return { databaseUrl, redisUrl: services.redisUrl };
}

/**
 * Services up and a database of the tests' own, dropped, created and migrated afresh: never the
 * development one. Redis is shared, so test processes use their own key prefix.
 */
export async function prepareTestDatabase(name: string): Promise<PlatformEnv> {
  const services = await ensureServices();
  await recreateDatabase(services.postgresServerUrl, name);
  const databaseUrl = databaseUrlFor(services.postgresServerUrl, name);
  await migrate(databaseUrl);
  return { databaseUrl, redisUrl: services.redisUrl };
}
