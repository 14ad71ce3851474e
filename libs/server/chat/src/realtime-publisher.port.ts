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
}

export const REALTIME_PUBLISHER = Symbol('REALTIME_PUBLISHER');
