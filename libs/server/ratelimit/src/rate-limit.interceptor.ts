import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import type { RateLimitName } from '@chatbox/server-config';
import { RateLimitedError } from '@chatbox/server-common';
import { RateLimiter } from './rate-limiter';
import { rateLimitSubject } from './rate-limit-subject';

export const RATE_LIMITS_KEY = 'chatbox:rate-limits';

/** Applies the @RateLimit(...) limits of a handler; every limit is counted, the strictest answers. */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const names = this.reflector.get<RateLimitName[] | undefined>(RATE_LIMITS_KEY, context.getHandler()) ?? [];
    const req = context.switchToHttp().getRequest<Request>();
    const verdicts = await Promise.all(names.map((name) => this.limiter.hit(name, rateLimitSubject(name, req))));
    const refused = verdicts.filter((v) => !v.allowed);
    if (refused.length) throw new RateLimitedError(Math.max(...refused.map((v) => v.retryAfterSeconds)));
    return next.handle();
  }
}
