import { connectDatabase } from '@chatbox/server-db';
import { ensureServices } from '../services/ensure-services';
import { databaseUrlFor, ensureDatabase } from './databases';
import { migrate } from './migrate';

/** `npm run db:migrate`: migrates DATABASE_URL, or the local development database. */
async function main(): Promise<void> {
  const services = await ensureServices();
  const url = services.databaseUrl ?? databaseUrlFor(services.postgresServerUrl, 'chatbox');
  if (!services.databaseUrl) await ensureDatabase(services.postgresServerUrl, 'chatbox');
  // the servers' own connection rules: a multi-host DATABASE_URL migrates its primary
  const applied = await migrate(url, console.log, connectDatabase);
  console.log(applied.length ? `[db] ${applied.length} migration(s) applied` : '[db] up to date');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
