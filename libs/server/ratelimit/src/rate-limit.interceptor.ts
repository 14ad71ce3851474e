import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { RateLimitedError } from '@chatbox/server-common';
import { RateLimiter } from './rate-limiter';
import { rateLimitSubject } from './rate-limit-subject';
import type { RateLimitSpec } from './rate-limit.decorator';

export const RATE_LIMITS_KEY = 'chatbox:rate-limits';

/**
 * Applies the @RateLimit(...) limits of a handler in the order given; the first that refuses
 * answers, and the later ones do not count that request (a group creation refused by
 * group_create_user spends none of member_add_user).
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const limits = this.reflector.get<RateLimitSpec[] | undefined>(RATE_LIMITS_KEY, context.getHandler()) ?? [];
    const req = context.switchToHttp().getRequest<Request>();
    for (const spec of limits) {
      const { name, cost } = typeof spec === 'string' ? { name: spec, cost: 1 } : { name: spec.name, cost: spec.cost(req) };
      if (cost <= 0) continue;
      const verdict = await this.limiter.hit(name, rateLimitSubject(name, req), cost);
      if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds);
    }
    return next.handle();
  }
}
