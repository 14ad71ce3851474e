import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '@chatbox/server-common';
import { requestToken } from './request-token';
import { AuthPrincipal, TokenService } from './token.service';

type AuthenticatedRequest = Request & { user?: AuthPrincipal };

/**
 * Lets a request through only with a valid token of a live session: the same check as a
 * socket handshake (TokenService.verify). The caller lands on `req.user`.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private readonly tokens: TokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = requestToken(req);
    const principal = token ? await this.tokens.verify(token) : null;
    if (!principal) throw AppError.unauthorized();
    req.user = principal;
    return true;
  }
}

/** The caller of a guarded handler. */
export const Principal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthPrincipal => ctx.switchToHttp().getRequest<{ user: AuthPrincipal }>().user,
);
