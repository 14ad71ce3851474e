import { backup, restore } from './backup';

const USAGE = `usage:
  npm run backup -- [<directory>] [--files <dir>]    write a backup of DATABASE_URL (and the files) under <directory> (default ./backups)
  npm run restore -- <backup directory> [--files <dir>]   restore it into DATABASE_URL (an empty database)`;

/** `npm run backup` / `npm run restore`: pg_dump / pg_restore of DATABASE_URL, plus the files directory. */
async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const filesAt = rest.indexOf('--files');
  const filesDir = filesAt >= 0 ? rest[filesAt + 1] : undefined;
  const positional = rest.filter((_, i) => filesAt < 0 || (i !== filesAt && i !== filesAt + 1));
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set');
  if (command === 'backup') {
    console.log(`[backup] written to ${await backup(databaseUrl, positional[0] ?? 'backups', filesDir)}`);
  } else if (command === 'restore' && positional[0]) {
    await restore(positional[0], databaseUrl, filesDir);
    console.log(`[restore] ${positional[0]} restored`);
  } else {
    throw new Error(USAGE);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
