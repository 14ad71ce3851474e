import { io, Socket } from 'socket.io-client';
import {
  SOCKET_FEATURES,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type TConversationEvent,
  type TMessage,
  type TSocketAuth,
} from '@chatbox/contracts';

export type LiveHandlers = {
  message: (message: TMessage) => void;
  conversation: (event: TConversationEvent) => void;
  /** Connected; `again` after a lost connection (time to catch up). */
  connected: (again: boolean) => void;
  disconnected: (reason: string) => void;
  /** The server refused the token: the session is over. */
  unauthorized: () => void;
};

/**
 * The Socket.IO half of the contract: the handshake with the token, reconnecting for as long as
 * it takes. It names "batch" (a `messages` frame is applied as its messages, in order); presence,
 * typing and receipts are not shown by this client, so their events are ignored.
 */
export function connectLive(apiUrl: string, token: string, on: LiveHandlers): () => void {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(apiUrl, {
    path: '/socket.io',
    auth: { token, features: [SOCKET_FEATURES.batch] } satisfies TSocketAuth,
    transports: ['websocket'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
  let everConnected = false;
  socket.on('connect', () => {
    on.connected(everConnected);
    everConnected = true;
  });
  socket.on('disconnect', (reason) => on.disconnected(reason));
  socket.on('connect_error', (err) => {
    // a refused handshake is final (socket.io stops retrying); a server that is down is not
    if (err.message === 'unauthorized') on.unauthorized();
  });
  socket.on('message', (m) => on.message(m));
  socket.on('messages', (e) => e.messages.forEach((m) => on.message(m)));
  socket.on('message:updated', (m) => on.message(m));
  socket.on('conversation', (e) => on.conversation(e));
  return () => socket.disconnect();
}
