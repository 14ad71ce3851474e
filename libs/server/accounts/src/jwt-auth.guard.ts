import { createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { AppError, isDatabaseUnavailable } from '@chatbox/server-common';
import type { AuthPrincipal } from './token.service';

/** Lets a request through only with a valid token of a live session. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<T = AuthPrincipal>(err: unknown, principal: T | false): T {
    if (isDatabaseUnavailable(err)) throw err; // 503: the session could not be checked, not refused
    if (err || !principal) throw AppError.unauthorized();
    return principal;
  }
}

/** The caller of a guarded handler. */
export const Principal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthPrincipal => ctx.switchToHttp().getRequest<{ user: AuthPrincipal }>().user,
);
