import { Module } from '@nestjs/common';
import { AccountsModule } from '@chatbox/server-accounts';
import { MessagesModule } from '@chatbox/server-chat';
import { ChatGateway } from './chat.gateway';
import { SocketLimits } from './socket-limits';

/** The api's Socket.IO gateway. Needs RedisIoAdapter as the app's websocket adapter. */
@Module({ imports: [AccountsModule, MessagesModule], providers: [ChatGateway, SocketLimits], exports: [ChatGateway] })
export class RealtimeGatewayModule {}
