import 'reflect-metadata';
import { startHttpProcess } from '@chatbox/server-http';
import { FilesModule } from './files.module';

/**
 * Uploads and downloads in a process of their own, so that their buffers, collections and CPU
 * never stand in a message's way in the api. Run it at a lower CPU priority than the api (`npm
 * start`: nice 10; docker-compose.yml: fewer cpu_shares) and have the edge send it the transfer
 * routes (tools/src/platform/web-route.ts, deploy/Caddyfile).
 */
startHttpProcess('files', FilesModule).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
