import { Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import type { Server, Socket } from 'socket.io';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { SocketSlots } from '@chatbox/server-presence';
import type { SocketData } from './socket-auth';

type Next = (err?: Error) => void;
/** Express's compiled TRUST_PROXY ("trust proxy fn"): may the hop'th address set X-Forwarded-For? */
type Trust = (address: string, hop: number) => boolean;

/**
 * The client address as Express's req.ip gives it: X-Forwarded-For is followed, from the nearest
 * hop outwards, only while the peer is a trusted proxy (TRUST_PROXY), as proxy-addr does.
 */
export function clientAddress(req: IncomingMessage, trust: Trust): string {
  const forwarded = String(req.headers['x-forwarded-for'] ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  const hops = [req.socket.remoteAddress ?? 'unknown', ...forwarded.reverse()];
  for (let i = 0; i < hops.length - 1; i++) if (!trust(hops[i]!, i)) return hops[i]!;
  return hops[hops.length - 1]!;
}

/**
 * The socket caps (SOCKETS_PER_USER, SOCKETS_PER_ADDRESS over every api process), as a
 * handshake middleware that runs after authentication: past either cap the handshake is refused
 * with connect_error `too_many_sockets`. A slot is released when its socket disconnects or its
 * connection closes, whichever comes first; a killed process's slots lapse with its heartbeat.
 */
@Injectable()
export class SocketLimits {
  private readonly logger = new Logger(SocketLimits.name);

  constructor(
    private readonly slots: SocketSlots,
    private readonly http: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  readonly capSockets = (socket: Socket, next: Next): void => {
    const { userId } = (socket.data as SocketData).principal;
    const address = clientAddress(socket.request, this.http.httpAdapter.getInstance().get('trust proxy fn') as Trust);
    const caps = this.config.sockets;
    this.slots.take(userId, address, caps).then(
      (refused) => {
        if (refused) {
          const message = refused === 'user' ? `At most ${caps.perUser} connections per user; close one first.` : `At most ${caps.perAddress} connections from one address.`;
          return next(Object.assign(new Error('too_many_sockets'), { data: { message } }));
        }
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          this.slots.release(userId, address).catch((err: unknown) => this.logger.warn(`socket slot of ${userId} not released: ${String(err)}`));
        };
        // a connection that closed while the slot was taken never becomes a socket (no disconnect)
        if (socket.conn.readyState !== 'open') release();
        socket.conn.once('close', release);
        socket.once('disconnect', () => {
          socket.conn.off('close', release); // a client may reconnect many sockets on one connection
          release();
        });
        next();
      },
      (err: unknown) => {
        // like presence: without Redis the caps cannot be counted, and the socket is let in uncounted
        this.logger.warn(`socket slots of ${userId} not checked: ${String(err)}`);
        next();
      },
    );
  };
}

/**
 * A handshake refused by any middleware (origin, token, caps) closes its connection at once:
 * Socket.IO would keep it open until connectTimeout, and a script can hold many that way. The
 * refusal is sent first (Engine.IO flushes what is buffered before closing).
 */
export function closeRefusedHandshakes(server: Server): void {
  const use = server.use.bind(server);
  server.use = (middleware) =>
    use((socket, next) =>
      middleware(socket, (err) => {
        next(err);
        if (err) setImmediate(() => socket.conn.close());
      }),
    );
}
