import { Global, Module } from '@nestjs/common';
import { REALTIME_PUBLISHER } from '@chatbox/server-chat';
import { SOCKET_DISCONNECTOR, USER_ANNOUNCER } from '@chatbox/server-accounts';
import { RedisRealtimePublisher } from './redis-realtime.publisher';
import { RedisSocketDisconnector } from './redis-socket.disconnector';
import { RedisUserAnnouncer } from './redis-user.announcer';

/** Provides the domain's RealtimePublisher port and the accounts' SocketDisconnector and UserAnnouncer, in the api and in the worker. */
@Global()
@Module({
  providers: [
    { provide: REALTIME_PUBLISHER, useClass: RedisRealtimePublisher },
    { provide: SOCKET_DISCONNECTOR, useClass: RedisSocketDisconnector },
    { provide: USER_ANNOUNCER, useClass: RedisUserAnnouncer },
  ],
  exports: [REALTIME_PUBLISHER, SOCKET_DISCONNECTOR, USER_ANNOUNCER],
})
export class RealtimePublisherModule {}
