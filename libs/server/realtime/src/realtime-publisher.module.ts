import { Global, Module } from '@nestjs/common';
import { REALTIME_PUBLISHER } from '@chatbox/server-chat';
import { RedisRealtimePublisher } from './redis-realtime.publisher';

/** Provides the domain's RealtimePublisher port, in the api and in the worker. */
@Global()
@Module({
  providers: [{ provide: REALTIME_PUBLISHER, useClass: RedisRealtimePublisher }],
  exports: [REALTIME_PUBLISHER],
})
export class RealtimePublisherModule {}
