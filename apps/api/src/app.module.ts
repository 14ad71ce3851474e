import { Module } from '@nestjs/common';
import { ConfigModule } from '@chatbox/server-config';
import { DbModule } from '@chatbox/server-db';
import { RedisModule } from '@chatbox/server-redis';
import { StorageModule } from '@chatbox/server-storage';
import { ObservabilityModule } from '@chatbox/server-observability';
import { PresenceModule } from '@chatbox/server-presence';
import { RealtimeGatewayModule, RealtimePublisherModule } from '@chatbox/server-realtime';
import { JobsProducerModule } from '@chatbox/server-jobs';
import { HttpModule } from '@chatbox/server-http';

@Module({ imports: [ConfigModule, DbModule, RedisModule, StorageModule, ObservabilityModule, PresenceModule, RealtimePublisherModule, JobsProducerModule, HttpModule, RealtimeGatewayModule] })
export class ApiModule {}
