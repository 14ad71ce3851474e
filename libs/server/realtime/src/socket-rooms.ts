import { SOCKET_FEATURES, TSocketAuth, TSocketFeature, userRoom } from '@chatbox/contracts';

/**
 * Server-internal rooms. Clients never choose rooms; the gateway joins each socket at connection
 * to its user room (contracts' userRoom), its session room, and the rooms that say what it
 * understands (capability rooms).
 */

/** The sockets opened with one session's token, so logout can close exactly those. */
export const sessionRoom = (sessionId: string): string => `session:${sessionId}`;

/** One user's sockets that named "batch": they may get `messages`. */
export const batchRoom = (userId: string): string => `user:${userId}#batch`;
/** One user's sockets that did not: each message goes to them as its own `message`. */
export const singleRoom = (userId: string): string => `user:${userId}#single`;
/** One user's sockets that named "batch-updates": they may get `messages:updated`. */
export const batchUpdatesRoom = (userId: string): string => `user:${userId}#batch-updates`;
/** One user's sockets that did not: each change goes to them as its own `message:updated`. */
export const singleUpdatesRoom = (userId: string): string => `user:${userId}#single-updates`;
/** Every socket that named "batch" / did not (presence: `presence:batch` or one `presence` each). */
export const BATCH_SOCKETS = 'sockets#batch';
export const SINGLE_SOCKETS = 'sockets#single';

/** The known features the handshake's `auth.features` names; anything else is ignored. */
export function handshakeFeatures(auth: unknown): Set<TSocketFeature> {
  const named = (auth as TSocketAuth | undefined)?.features;
  const known = new Set<string>(Object.values(SOCKET_FEATURES));
  return new Set(Array.isArray(named) ? named.filter((f): f is TSocketFeature => typeof f === 'string' && known.has(f)) : []);
}

/** Every room a socket of this user and session joins. */
export function roomsOf(userId: string, sessionId: string, features: ReadonlySet<TSocketFeature>): string[] {
  const batch = features.has(SOCKET_FEATURES.batch);
  const updates = features.has(SOCKET_FEATURES.batchUpdates) ? batchUpdatesRoom(userId) : singleUpdatesRoom(userId);
  return [userRoom(userId), sessionRoom(sessionId), batch ? batchRoom(userId) : singleRoom(userId), batch ? BATCH_SOCKETS : SINGLE_SOCKETS, updates];
}
