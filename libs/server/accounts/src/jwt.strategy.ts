import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AUTH_COOKIE } from '@chatbox/contracts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { AuthPrincipal, JWT_ALGORITHM, jwtKey, TokenService } from './token.service';

const fromCookie = (req: Request): string | null => {
  const cookies = req.cookies as Record<string, string> | undefined;
  return cookies?.[AUTH_COOKIE] ?? null;
};

/**
 * The token of an `Authorization: Bearer` header, or null. The CSRF check uses this very function
 * to tell bearer requests from cookie requests: a header it cannot read (`Bearer` + a non-breaking
 * space, another scheme) leaves the cookie in charge, and then the CSRF rules apply.
 */
export const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * Bearer header first (API clients), then the httpOnly cookie (the browser). A bearer token that
 * fails verification is a 401: the cookie is never tried in its place.
 */
export const extractToken = ExtractJwt.fromExtractors([bearerToken, fromCookie]);

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly tokens: TokenService,
  ) {
    super({
      jwtFromRequest: extractToken,
      // A KeyObject, built once: given a string or Buffer, jsonwebtoken first tries (and fails)
      // to parse it as a PEM key, on every request. passport-jwt hands it to jsonwebtoken as is;
      // only its type declarations predate KeyObject.
      secretOrKey: jwtKey(config.auth.jwtSecret) as unknown as Buffer,
      algorithms: [JWT_ALGORITHM],
      ignoreExpiration: false,
    });
  }

  /** Passport calls this with a verified payload; a revoked session makes it a 401. */
  async validate(payload: unknown): Promise<AuthPrincipal | false> {
    return (await this.tokens.principalOf(payload)) ?? false;
  }
}
