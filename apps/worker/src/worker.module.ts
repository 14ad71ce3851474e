import { Module } from '@nestjs/common';
import { ConfigModule } from '@chatbox/server-config';
import { DbModule } from '@chatbox/server-db';
import { RedisModule } from '@chatbox/server-redis';
import { StorageModule } from '@chatbox/server-storage';
import { ObservabilityModule } from '@chatbox/server-observability';
import { RealtimePublisherModule } from '@chatbox/server-realtime';
import { JobsWorkerModule } from '@chatbox/server-jobs';

@Module({ imports: [ConfigModule, DbModule, RedisModule, StorageModule, ObservabilityModule, RealtimePublisherModule, JobsWorkerModule] })
export class WorkerModule {}
