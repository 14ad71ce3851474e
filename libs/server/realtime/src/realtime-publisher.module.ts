import { Global, Module } from '@nestjs/common';
import { REALTIME_PUBLISHER } from '@chatbox/server-chat';
import { SOCKET_DISCONNECTOR } from '@chatbox/server-accounts';
import { RedisRealtimePublisher } from './redis-realtime.publisher';
import { RedisSocketDisconnector } from './redis-socket.disconnector';

/** Provides the domain's RealtimePublisher port and the accounts' SocketDisconnector, in the api and in the worker. */
@Global()
@Module({
  providers: [
    { provide: REALTIME_PUBLISHER, useClass: RedisRealtimePublisher },
    { provide: SOCKET_DISCONNECTOR, useClass: RedisSocketDisconnector },
  ],
  exports: [REALTIME_PUBLISHER, SOCKET_DISCONNECTOR],
})
export class RealtimePublisherModule {}
