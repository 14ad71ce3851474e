import type { Server } from 'socket.io';
import { type ServerToClientEvents, type TChange, type TMessage, type TPresenceBatchEvent, userRoom } from '@chatbox/contracts';
import { BATCH_SOCKETS, batchRoom, batchUpdatesRoom, SINGLE_SOCKETS, singleRoom, singleUpdatesRoom } from './socket-rooms';

/** Consecutive changes of one conversation (in stream order) for these users' sockets. */
export type ChangesDelivery = { userIds: string[]; conversationId: string; changes: TChange[] };

/**
 * Requests between processes (Socket.IO `serverSideEmit` over the Redis adapter's request
 * channel): every api process receives each one once and emits it to its own sockets, framed for
 * what each socket understands. One Redis publish serves batch and version-1 sockets alike.
 */
export interface InterServerEvents {
  'deliver:changes': (delivery: ChangesDelivery) => void;
  'deliver:presence': (changes: TPresenceBatchEvent) => void;
}

export type ChatServer = Server<Record<string, never>, ServerToClientEvents, InterServerEvents>;

/**
 * Emits on this process only, in stream order: a run of new messages goes to a batch socket as
 * one `messages` frame (a lone one as `message`), to a version-1 socket as one `message` each
 * (API.md "Socket capabilities"); likewise a run of changes goes to a `batch-updates` socket as one
 * `messages:updated` frame (a lone one as `message:updated`), to every other socket as one
 * `message:updated` each; a membership notice goes to every socket as `notice`. Rooms
 * without a socket here are skipped, so a process encodes nothing for sockets it does not have.
 */
export function deliverChangesHere(server: ChatServer, { userIds, conversationId, changes }: ChangesDelivery): void {
  const rooms = server.of('/').adapter.rooms;
  const here = (room: (userId: string) => string) => userIds.map(room).filter((r) => rooms.has(r));
  const all = here(userRoom);
  if (all.length === 0) return;
  // computed when first needed: most deliveries carry only new messages, or only changes
  let created: { batch: string[]; single: string[] } | undefined;
  let updated: { batch: string[]; single: string[] } | undefined;
  for (let i = 0; i < changes.length; ) {
    const change = changes[i];
    if (change.kind === 'updated') {
      const run: TMessage[] = [];
      for (let c = changes[i]; c?.kind === 'updated'; c = changes[++i]) run.push(c.message);
      if (run.length === 1) {
        server.local.to(all).emit('message:updated', run[0]);
        continue;
      }
      updated ??= { batch: here(batchUpdatesRoom), single: here(singleUpdatesRoom) };
      if (updated.batch.length > 0) server.local.to(updated.batch).emit('messages:updated', { conversationId, messages: run });
      if (updated.single.length > 0) for (const message of run) server.local.to(updated.single).emit('message:updated', message);
      continue;
    }
    if (change.kind === 'notice') {
      server.local.to(all).emit('notice', change.notice);
      i++;
      continue;
    }
    const run: TMessage[] = [];
    for (let c = changes[i]; c?.kind === 'created'; c = changes[++i]) run.push(c.message);
    created ??= { batch: here(batchRoom), single: here(singleRoom) };
    if (created.batch.length > 0) {
      if (run.length === 1) server.local.to(created.batch).emit('message', run[0]);
      else server.local.to(created.batch).emit('messages', { conversationId, messages: run });
    }
    if (created.single.length > 0) for (const message of run) server.local.to(created.single).emit('message', message);
  }
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
  server.on('deliver:changes', (delivery) => deliverChangesHere(server, delivery));
  server.on('deliver:presence', (changes) => deliverPresenceHere(server, changes));
}
