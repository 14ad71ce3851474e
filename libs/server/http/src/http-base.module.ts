import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ErrorFilter } from './error.filter';
import { HealthController } from './health.controller';

/** What every HTTP process of ours has: the health route and the one error mapper. */
@Module({
  controllers: [HealthController],
  providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
})
export class HttpBaseModule {}
