import { Global, Module } from '@nestjs/common';
import { RateLimiter } from './rate-limiter';
import { RateLimitInterceptor } from './rate-limit.interceptor';
import { LoginThrottle } from './login-throttle';

@Global()
@Module({ providers: [RateLimiter, RateLimitInterceptor, LoginThrottle], exports: [RateLimiter, RateLimitInterceptor, LoginThrottle] })
export class RateLimitModule {}
