export * from './rate-limiter';
export * from './rate-limit.decorator';
export * from './rate-limit.interceptor';
export * from './rate-limit-subject';
export * from './ratelimit.module';
export * from './login-throttle';
