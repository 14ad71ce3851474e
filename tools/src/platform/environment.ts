import { ensureServices, Services } from '../services/ensure-services';
import { databaseUrlFor, ensureDatabase, ensureDatabaseOf, recreateDatabase } from '../db/databases';
import { migrate } from '../db/migrate';

export type PlatformEnv = { databaseUrl: string; redisUrl: string };

/** Services up, the development database created and migrated. */
export async function prepareDevelopment(): Promise<PlatformEnv> {
  const services = await ensureServices();
  const databaseUrl = await developmentDatabase(services);
  await migrate(databaseUrl, console.log);
  return { databaseUrl, redisUrl: services.redisUrl };
}

/** DATABASE_URL's database, or else the local `chatbox` one; created when its server lacks it. */
export async function developmentDatabase(services: Services): Promise<string> {
  if (services.databaseUrl) {
    await ensureDatabaseOf(services.databaseUrl);
    return services.databaseUrl;
  }
  await ensureDatabase(services.postgresServerUrl, 'chatbox');
  return databaseUrlFor(services.postgresServerUrl, 'chatbox');
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
