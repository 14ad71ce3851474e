import { Inject, Injectable } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import { userRoom } from '@chatbox/contracts';
import type { SocketDisconnector } from '@chatbox/server-accounts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { RedisService } from '@chatbox/server-redis';
import { socketIoKey } from './redis-realtime.publisher';
import { sessionRoom } from './socket-rooms';

/** Closes sockets on every gateway through the Socket.IO Redis emitter (works from any process). */
@Injectable()
export class RedisSocketDisconnector implements SocketDisconnector {
  private readonly emitter: Emitter;

  constructor(redis: RedisService, @Inject(APP_CONFIG) config: AppConfig) {
    this.emitter = new Emitter(redis.client, { key: socketIoKey(config) });
  }

  async disconnectSession(sessionId: string): Promise<void> {
    this.emitter.in(sessionRoom(sessionId)).disconnectSockets(true);
  }

  async disconnectUser(userId: string): Promise<void> {
    this.emitter.in(userRoom(userId)).disconnectSockets(true);
  }
}
