import { Module } from '@nestjs/common';
import { ConfigModule } from '@chatbox/server-config';
import { DbModule } from '@chatbox/server-db';
import { RedisModule } from '@chatbox/server-redis';

@Module({ imports: [ConfigModule, DbModule, RedisModule] })
export class WorkerModule {}
