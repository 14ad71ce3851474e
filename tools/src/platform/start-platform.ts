import { launchApi, launchFiles, launchWeb, launchWorker, ManagedProcess, stopProcess, waitForHttp } from './processes';
import path from 'node:path';
import { STATE_DIR } from '../paths';
import { prepareDevelopment } from './environment';

/**
 * `npm start`: PostgreSQL and Redis (started or installed when needed), the development
 * database migrated, then api, worker, files (uploads and downloads, at a lower CPU priority) and
 * web; prints the URL to open. Ctrl+C stops them all.
 */
async function main(): Promise<void> {
  const { databaseUrl, redisUrl } = await prepareDevelopment();
  const apiPort = process.env.API_PORT ?? '3001';
  const webPort = process.env.WEB_PORT ?? '3000';
  const filesPort = process.env.FILES_PORT ?? '3002';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    API_PORT: apiPort,
    FILES_PORT: filesPort,
    WEB_PORT: webPort,
    WEB_ORIGIN: process.env.WEB_ORIGIN ?? `http://localhost:${webPort}`,
    // attachments of the development platform: in the checkout's git-ignored state folder
    STORAGE_DIR: process.env.STORAGE_DIR ?? path.join(STATE_DIR, 'uploads'),
  };
  const procs: ManagedProcess[] = [launchApi({ env }), launchWorker({ env }), launchFiles({ env })];
  const stopAll = async (code: number) => {
    await Promise.all(procs.map((p) => stopProcess(p)));
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  await waitForHttp(`http://127.0.0.1:${apiPort}/api/health`, procs[0]);
  await waitForHttp(`http://127.0.0.1:${filesPort}/api/health`, procs[2]);
  const web = launchWeb({ env });
  procs.push(web);
  await waitForHttp(`http://127.0.0.1:${webPort}/api/health`, web);
  for (const p of procs) void p.exited.then((code) => {
    console.error(`[start] ${p.name} exited (${code}); stopping ChatBox`);
    void stopAll(1);
  });
  console.log(`\nChatBox is running: open http://localhost:${webPort}\n(api on :${apiPort}, files on :${filesPort}; Ctrl+C stops everything)\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
