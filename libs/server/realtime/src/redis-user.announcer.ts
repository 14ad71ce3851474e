import { Inject, Injectable, Logger } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import type { ServerToClientEvents, TUser } from '@chatbox/contracts';
import type { UserAnnouncer } from '@chatbox/server-accounts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { RedisService } from '@chatbox/server-redis';
import { socketIoKey } from './redis-realtime.publisher';

/** The `user` event to every socket of every gateway, through the Socket.IO Redis emitter (one publish). */
@Injectable()
export class RedisUserAnnouncer implements UserAnnouncer {
  private readonly logger = new Logger(RedisUserAnnouncer.name);
  private readonly emitter: Emitter<ServerToClientEvents>;

  constructor(redis: RedisService, @Inject(APP_CONFIG) config: AppConfig) {
    this.emitter = new Emitter<ServerToClientEvents>(redis.client, { key: socketIoKey(config) });
  }

  async registered(user: TUser): Promise<void> {
    try {
      this.emitter.emit('user', { change: 'added', user });
    } catch (err) {
      this.logger.warn(`new user ${user.id} not announced: ${String(err)}`);
    }
  }
}
