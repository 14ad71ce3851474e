import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import type { Request } from 'express';
import type { RateLimitName } from '@chatbox/server-config';
import { RATE_LIMITS_KEY, RateLimitInterceptor } from './rate-limit.interceptor';

/** A limit whose hits cost what the request asks for, e.g. one per person it adds; 0 counts nothing. */
export type WeightedRateLimit = { name: RateLimitName; cost: (req: Request) => number };
export type RateLimitSpec = RateLimitName | WeightedRateLimit;

/**
 * Rate limits for one endpoint, each counted on its own subject: `_ip` limits on the client IP,
 * `_user` limits on the authenticated caller.
 * Runs as an interceptor, i.e. after the guards, so the caller is known.
 */
export const RateLimit = (...limits: RateLimitSpec[]) =>
  applyDecorators(SetMetadata(RATE_LIMITS_KEY, limits), UseInterceptors(RateLimitInterceptor));

/**
 * Cost: the distinct entries of the body's list `field` (at most `max`, the most a valid request
 * holds). Interceptors run before validation: anything but a list costs nothing here and is
 * refused by validation next.
 */
export const perListEntry =
  (field: string, max: number) =>
  (req: Request): number => {
    const list = (req.body as Record<string, unknown> | undefined)?.[field];
    if (!Array.isArray(list)) return 0;
    return Math.min(max, new Set(list.map((v) => (typeof v === 'string' ? v.toLowerCase() : v))).size);
  };
