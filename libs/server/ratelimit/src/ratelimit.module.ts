import { Global, Module } from '@nestjs/common';
import { RateLimiter } from './rate-limiter';
import { RateLimitInterceptor } from './rate-limit.interceptor';

@Global()
@Module({ providers: [RateLimiter, RateLimitInterceptor], exports: [RateLimiter, RateLimitInterceptor] })
export class RateLimitModule {}
