/**
 * Closes open sockets when tokens die (logout, password change). The accounts do not know
 * Socket.IO: the realtime library implements this port (through the Redis emitter, so it reaches
 * sockets held by any api process).
 */
export interface SocketDisconnector {
  /** The sockets opened with one session's token. */
  disconnectSession(sessionId: string): Promise<void>;
  /** Every socket of a user. */
  disconnectUser(userId: string): Promise<void>;
}

export const SOCKET_DISCONNECTOR = Symbol('SOCKET_DISCONNECTOR');
