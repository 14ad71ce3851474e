import { Inject, Injectable } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import { ServerToClientEvents, TChange, userRoom } from '@chatbox/contracts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { RedisService } from '@chatbox/server-redis';
import type { RealtimePublisher } from '@chatbox/server-chat';
import type { InterServerEvents } from './local-delivery';

/** The Redis channel prefix shared by the Socket.IO adapter (gateways) and emitters. */
export const socketIoKey = (config: AppConfig): string => `${config.redisPrefix}-socket.io`;

/**
 * Publishes events through the Socket.IO Redis emitter: works from any process (api or worker);
 * every gateway delivers to its local sockets in the named rooms. One publish per chunk of rooms.
 */
@Injectable()
export class RedisRealtimePublisher implements RealtimePublisher {
  private readonly emitter: Emitter<ServerToClientEvents>;
  private readonly chunkSize: number;

  constructor(redis: RedisService, @Inject(APP_CONFIG) config: AppConfig) {
    this.emitter = new Emitter<ServerToClientEvents>(redis.client, { key: socketIoKey(config) });
    this.chunkSize = config.fanout.chunkSize;
  }

  async toUsers<E extends keyof ServerToClientEvents>(
    userIds: readonly string[],
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
  ): Promise<void> {
    for (let i = 0; i < userIds.length; i += this.chunkSize) {
      const rooms = userIds.slice(i, i + this.chunkSize).map(userRoom);
      // emit's tuple typing cannot follow the generic event name
      (this.emitter.to(rooms).emit as any)(event, payload);
    }
  }

  /**
   * A lone new message is the same `message` event for every socket. Anything else goes as a
   * request to every api process (see local-delivery.ts), which frames it per socket: `messages`
   * for runs of new messages to sockets that named "batch", one `message` each for the others,
   * `message:updated` per change for all.
   */
  async changesToUsers(userIds: readonly string[], conversationId: string, changes: readonly TChange[]): Promise<void> {
    if (changes.length === 0) return;
    if (changes.length === 1 && changes[0].kind === 'created') return this.toUsers(userIds, 'message', changes[0].message);
    for (let i = 0; i < userIds.length; i += this.chunkSize) {
      const request: Parameters<InterServerEvents['deliver:changes']> = [
        { userIds: userIds.slice(i, i + this.chunkSize), conversationId, changes: [...changes] },
      ];
      this.emitter.serverSideEmit('deliver:changes' satisfies keyof InterServerEvents, ...request);
    }
  }
}
