import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AccountsModule } from '@chatbox/server-accounts';
import { MessagesModule } from '@chatbox/server-chat';
import { AuthController } from './auth.controller';
import { ErrorFilter } from './error.filter';
import { HealthController } from './health.controller';
import { MessagesController } from './messages.controller';

/** Every REST endpoint of the contract, and the one error mapper. */
@Module({
  imports: [AccountsModule, MessagesModule],
  controllers: [HealthController, AuthController, MessagesController],
  providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
})
export class HttpModule {}
