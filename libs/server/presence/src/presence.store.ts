import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { RedisService } from '@chatbox/server-redis';

/**
 * Who is online, shared by every api process through Redis. The realtime gateway writes it;
 * everything that shows a User reads it.
 */
@Injectable()
export class PresenceStore {
  private readonly onlineSet: string;

  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.onlineSet = `${config.redisPrefix}:presence:online`;
  }

  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const flags = await this.redis.client.smismember(this.onlineSet, ...userIds);
    return new Set(userIds.filter((_, i) => flags[i] === 1));
  }

  async isOnline(userId: string): Promise<boolean> {
    return (await this.redis.client.sismember(this.onlineSet, userId)) === 1;
  }

  async onlineUserIds(): Promise<string[]> {
    return this.redis.client.smembers(this.onlineSet);
  }

  async setOnline(userId: string, online: boolean): Promise<void> {
    if (online) await this.redis.client.sadd(this.onlineSet, userId);
    else await this.redis.client.srem(this.onlineSet, userId);
  }
}
