import { io, Socket } from 'socket.io-client';
import { SOCKET_FEATURES, type ClientToServerEvents, type ServerToClientEvents, type TSocketAuth } from '@chatbox/contracts';

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * One Socket.IO connection to the page's own origin (Next forwards /socket.io to the api).
 * The handshake carries the httpOnly session cookie, so no token is ever handled in scripts.
 * It names "batch" and "batch-updates": the chat store applies `messages`, `presence:batch` and
 * `messages:updated` frames.
 */
export function connectSocket(): ChatSocket {
  return io({
    path: '/socket.io',
    withCredentials: true,
    auth: { features: [SOCKET_FEATURES.batch, SOCKET_FEATURES.batchUpdates] } satisfies TSocketAuth,
    // WebSocket only: a long-polling fallback needs every request of a session on the same api
    // replica (sticky sessions), which neither the web server nor docker-compose provides
    transports: ['websocket'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
}
