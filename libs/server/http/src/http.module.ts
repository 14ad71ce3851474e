import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AccountsModule } from '@chatbox/server-accounts';
import { RateLimitModule } from '@chatbox/server-ratelimit';
import { AuthController } from './auth.controller';
import { ErrorFilter } from './error.filter';
import { HealthController } from './health.controller';

/** Every REST endpoint of the contract, and the one error mapper. */
@Module({
  imports: [AccountsModule, RateLimitModule],
  controllers: [HealthController, AuthController],
  providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
})
export class HttpModule {}
