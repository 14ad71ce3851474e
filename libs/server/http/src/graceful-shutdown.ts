import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { InFlightWork } from '@chatbox/server-common';

/**
 * The api's graceful shutdown: stop accepting (no new connections, HTTP or WebSocket; new socket
 * events answered `unavailable`), let requests and socket acks in flight finish (at most
 * `drainMs`), then close: Nest's hooks release presence and close Redis and PostgreSQL, and the
 * remaining sockets are disconnected (their clients reconnect to another api process).
 */
export async function drainAndClose(app: NestExpressApplication, drainMs: number): Promise<void> {
  const logger = new Logger('Shutdown');
  const work = app.get(InFlightWork);
  const server = app.getHttpServer() as Server;
  work.stop();
  server.close();
  if (work.size > 0) logger.log(`waiting for ${work.size} request(s) and socket ack(s) in flight`);
  if (!(await work.drained(drainMs))) logger.warn(`${work.size} request(s) still in flight after ${drainMs} ms; closing anyway`);
  server.closeIdleConnections();
  await app.close();
}
