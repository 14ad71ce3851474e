import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import type { RateLimitName } from '@chatbox/server-config';
import { RATE_LIMITS_KEY, RateLimitInterceptor } from './rate-limit.interceptor';

/**
 * Rate limits for one endpoint, each counted on its own subject: `_ip` limits on the client IP,
 * `_user` limits on the authenticated caller.
 * Runs as an interceptor, i.e. after the guards, so the caller is known.
 */
export const RateLimit = (...names: RateLimitName[]) =>
  applyDecorators(SetMetadata(RATE_LIMITS_KEY, names), UseInterceptors(RateLimitInterceptor));
