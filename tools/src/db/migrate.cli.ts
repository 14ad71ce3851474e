import { connectDatabase } from '@chatbox/server-db';
import { ensureServices } from '../services/ensure-services';
import { developmentDatabase } from '../platform/environment';
import { migrate } from './migrate';

/** `npm run db:migrate`: migrates DATABASE_URL, or the local development database. */
async function main(): Promise<void> {
  const url = await developmentDatabase(await ensureServices());
  // the servers' own connection rules: a multi-host DATABASE_URL migrates its primary
  const applied = await migrate(url, console.log, connectDatabase);
  console.log(applied.length ? `[db] ${applied.length} migration(s) applied` : '[db] up to date');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
