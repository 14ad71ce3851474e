import type { ServerToClientEvents, TChange } from '@chatbox/contracts';

/**
 * How the domain tells users' open sockets that something happened. The domain never touches
 * socket.io; libs/server/realtime implements this over Redis so any process can publish.
 */
export interface RealtimePublisher {
  /** Emits one event to the private rooms of the given users (chunked, one publish per chunk). */
  toUsers<E extends keyof ServerToClientEvents>(
    userIds: readonly string[],
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
  ): Promise<void>;

  /**
   * Delivers consecutive changes of one conversation (in stream order) to the users' sockets:
   * new messages as `message`, or several in a row as one `messages` event to sockets that
   * understand batches; changed messages as `message:updated`. One publish per chunk of users,
   * whatever the sockets understand.
   */
  changesToUsers(userIds: readonly string[], conversationId: string, changes: readonly TChange[]): Promise<void>;

  /**
   * changesToUsers by the holder of the conversation's delivery turn (RangeDelivery, under its
   * Redis lock): a process with sockets of its own emits to them at once, without the round trip
   * through Redis, and publishes for the other processes.
   */
  changesInTurn(userIds: readonly string[], conversationId: string, changes: readonly TChange[]): Promise<void>;

  /**
   * Resolves once what other processes published before this call has reached this process's
   * sockets. A turn that follows another process's waits for it before changesInTurn: that
   * process's last deliveries may still be on their way here, and must not be overtaken.
   */
  othersDelivered(): Promise<void>;
}

export const REALTIME_PUBLISHER = Symbol('REALTIME_PUBLISHER');
