import type { Server } from 'socket.io';
import type { ServerToClientEvents, TMessage, TPresenceBatchEvent } from '@chatbox/contracts';
import { BATCH_SOCKETS, batchRoom, SINGLE_SOCKETS, singleRoom } from './socket-rooms';

/** Several messages of one conversation (ascending by seq) for these users' sockets. */
export type MessagesDelivery = { userIds: string[]; conversationId: string; messages: TMessage[] };

/**
 * Requests between processes (Socket.IO `serverSideEmit` over the Redis adapter's request
 * channel): every api process receives each one once and emits it to its own sockets, framed for
 * what each socket understands. One Redis publish serves batch and version-1 sockets alike.
 */
export interface InterServerEvents {
  'deliver:messages': (delivery: MessagesDelivery) => void;
  'deliver:presence': (changes: TPresenceBatchEvent) => void;
}

export type ChatServer = Server<Record<string, never>, ServerToClientEvents, InterServerEvents>;

/**
 * Emits on this process only: a batch socket gets the messages as one `messages` frame, a
 * version-1 socket each one as `message` (API.md "Socket capabilities"). Rooms that have no
 * socket here are skipped, so a process without version-1 sockets encodes nothing for them.
 */
export function deliverMessagesHere(server: ChatServer, { userIds, conversationId, messages }: MessagesDelivery): void {
  const rooms = server.of('/').adapter.rooms;
  const batch = userIds.map(batchRoom).filter((room) => rooms.has(room));
  const single = userIds.map(singleRoom).filter((room) => rooms.has(room));
  if (batch.length > 0) server.local.to(batch).emit('messages', { conversationId, messages });
  if (single.length > 0) for (const message of messages) server.local.to(single).emit('message', message);
}

/** Several presence changes on this process: one `presence:batch` or one `presence` per change. */
export function deliverPresenceHere(server: ChatServer, changes: TPresenceBatchEvent): void {
  const rooms = server.of('/').adapter.rooms;
  if (rooms.has(BATCH_SOCKETS)) server.local.to(BATCH_SOCKETS).emit('presence:batch', changes);
  if (!rooms.has(SINGLE_SOCKETS)) return;
  for (const userId of changes.online) server.local.to(SINGLE_SOCKETS).emit('presence', { userId, online: true });
  for (const userId of changes.offline) server.local.to(SINGLE_SOCKETS).emit('presence', { userId, online: false });
}

/** Makes this process act on the other processes' (and the worker's) delivery requests. */
export function listenForDeliveries(server: ChatServer): void {
  server.on('deliver:messages', (delivery) => deliverMessagesHere(server, delivery));
  server.on('deliver:presence', (changes) => deliverPresenceHere(server, changes));
}
