import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { answerWithin, InFlightWork } from '@chatbox/server-common';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { Metrics } from '@chatbox/server-observability';
import { RedisService } from '@chatbox/server-redis';
import { socketIoKey } from './redis-realtime.publisher';
import { closeRefusedHandshakes } from './socket-limits';
import { trackSocketAcks } from './socket-in-flight';

/** Largest socket message a client may send (a 4000-character body fits many times). */
export const SOCKET_MAX_BUFFER = 64 * 1024;

/**
 * Socket.IO on the api's HTTP server with the Redis adapter: rooms and broadcasts span every
 * api process, and the worker's emitter reaches sockets on all of them.
 */
export class RedisIoAdapter extends IoAdapter {
  private readonly clients: Redis[] = [];

  constructor(private readonly app: INestApplicationContext) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const config = this.app.get<AppConfig>(APP_CONFIG);
    // CORS for the polling transport: the web origin only, like the REST api.
    const cors = { origin: config.webOrigin, credentials: true };
    // connectTimeout: a connection without an accepted handshake by then is closed (default 45 s)
    const server = super.createIOServer(port, {
      ...options,
      cors,
      maxHttpBufferSize: SOCKET_MAX_BUFFER,
      serveClient: false,
      connectTimeout: config.sockets.connectTimeoutMs,
    }) as Server;
    closeRefusedHandshakes(server);
    trackSocketAcks(server, this.app.get(InFlightWork), this.app.get(Metrics));
    const redis = this.app.get(RedisService);
    const pub = redis.connect('socket.io-pub');
    const sub = redis.connect('socket.io-sub');
    this.clients.push(pub, sub);
    server.adapter(createAdapter(pub, sub, { key: socketIoKey(config) }));
    return server;
  }

  /**
   * QUIT, not a disconnect: the Redis adapter's close() sends its UNSUBSCRIBEs (and a last
   * presence broadcast its PUBLISH) without waiting for them, and a connection dropped under
   * them rejects them with nobody listening: the process ended with "Connection is closed"
   * whenever Redis answered later than the next tick (a network hop; every shutdown in the
   * flaky-network drill). QUIT is answered after them. A Redis that does not answer is dropped
   * after QUIT_WAIT_MS.
   */
  override async dispose(): Promise<void> {
    await super.dispose();
    await Promise.all(
      this.clients.splice(0).map((client) =>
        answerWithin(client.quit(), QUIT_WAIT_MS, () => new Error('no answer to QUIT')).catch(() => client.disconnect()),
      ),
    );
  }
}

/** How long a shutdown waits for Redis to answer the adapter's last commands. */
const QUIT_WAIT_MS = 1_000;
