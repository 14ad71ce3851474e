import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AppError, isDatabaseUnavailable } from '@chatbox/server-common';
import type { AuthPrincipal } from './token.service';

const OPEN_DURING_PASSWORD_CHANGE = 'chatbox:openDuringPasswordChange';

/** The few routes a login that must first choose a new password may use (set it, log out, /me). */
export const OpenDuringPasswordChange = () => SetMetadata(OPEN_DURING_PASSWORD_CHANGE, true);

/** The refusals of a login that must first choose a new password, and of a non-admin in the admin area. */
export const passwordChangeFirst = (): AppError => AppError.forbidden('Choose a new password first.', 'password_change_required');
export const adminsOnly = (): AppError => AppError.forbidden('Only administrators may do this.');

/**
 * Lets a request through only with a valid token of a live session (of a user who is not
 * deactivated); a login after an admin's password reset only to OpenDuringPasswordChange routes.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override handleRequest<T = AuthPrincipal>(err: unknown, principal: T | false, _info: unknown, context: ExecutionContext): T {
    if (isDatabaseUnavailable(err)) throw err; // 503: the session could not be checked, not refused
    if (err || !principal) throw AppError.unauthorized();
    const open = this.reflector.getAllAndOverride<boolean>(OPEN_DURING_PASSWORD_CHANGE, [context.getHandler(), context.getClass()]);
    if ((principal as unknown as AuthPrincipal).passwordChangeRequired && !open) {
      throw passwordChangeFirst();
    }
    return principal;
  }
}

/** After JwtAuthGuard: only admins (API.md: anything under /api/admin answers 403 to a non-admin). */
@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<{ user?: AuthPrincipal }>().user;
    if (principal?.role !== 'admin') throw adminsOnly();
    return true;
  }
}

/** The caller of a guarded handler. */
export const Principal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthPrincipal => ctx.switchToHttp().getRequest<{ user: AuthPrincipal }>().user,
);
