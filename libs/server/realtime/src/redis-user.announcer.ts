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
  private published: Promise<unknown> = Promise.resolve();

  constructor(redis: RedisService, @Inject(APP_CONFIG) config: AppConfig) {
    // publish is all the emitter asks of its client: this one keeps the promise, so a failed
    // publish (Redis gone, shutting down) is caught here instead of rejecting unhandled
    const client = { publish: (channel: string, message: string | Buffer) => (this.published = redis.client.publish(channel, message)) };
    this.emitter = new Emitter<ServerToClientEvents>(client, { key: socketIoKey(config) });
  }

  async registered(user: TUser): Promise<void> {
    try {
      this.emitter.emit('user', { change: 'added', user });
      await this.published; // set synchronously by the emit above
    } catch (err) {
      this.logger.warn(`new user ${user.id} not announced: ${String(err)}`);
    }
  }
}
