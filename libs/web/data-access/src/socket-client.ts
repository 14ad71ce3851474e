import { io, Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@chatbox/contracts';

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * One Socket.IO connection to the page's own origin (Next forwards /socket.io to the api).
 * The handshake carries the httpOnly session cookie, so no token is ever handled in scripts.
 */
export function connectSocket(): ChatSocket {
  return io({
    path: '/socket.io',
    withCredentials: true,
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
}
