import { Module } from '@nestjs/common';
import { ConfigModule } from '@chatbox/server-config';
import { DbModule } from '@chatbox/server-db';
import { RedisModule } from '@chatbox/server-redis';
import { StorageModule } from '@chatbox/server-storage';
import { ObservabilityModule } from '@chatbox/server-observability';
import { RealtimePublisherModule } from '@chatbox/server-realtime';
import { JobsProducerModule } from '@chatbox/server-jobs';
import { HttpBaseModule, TransfersHttpModule } from '@chatbox/server-http';

/**
 * The files process: the contract's transfer routes and nothing else (no socket gateway, no other
 * REST route). The messages' services come along only because an upload's and a download's access
 * rules are theirs.
 */
@Module({ imports: [ConfigModule, DbModule, RedisModule, StorageModule, ObservabilityModule, RealtimePublisherModule, JobsProducerModule, HttpBaseModule, TransfersHttpModule] })
export class FilesModule {}
