import type { ServerToClientEvents, TMessage } from '@chatbox/contracts';

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
   * Delivers consecutive messages of one conversation (ascending by seq) to the users' sockets:
   * as one `messages` event to sockets that understand batches, as one `message` per message to
   * the others (version 1). One publish per chunk of users, whatever the sockets understand.
   */
  messagesToUsers(userIds: readonly string[], conversationId: string, messages: readonly TMessage[]): Promise<void>;
}

export const REALTIME_PUBLISHER = Symbol('REALTIME_PUBLISHER');
