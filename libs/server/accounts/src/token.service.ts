import { createSecretKey, KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { isDatabaseUnavailable } from '@chatbox/server-common';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import type { TUserRole } from '@chatbox/contracts';
import { LiveSession, SessionRepository } from './session.repository';
import { SessionCache } from './session-cache';

/**
 * Who is calling: the user and the login (session) the token belongs to, the user's role now,
 * and whether this login may only set a new password (after an admin's reset).
 */
export type AuthPrincipal = { userId: string; sessionId: string; role: TUserRole; passwordChangeRequired: boolean };

export const JWT_ALGORITHM = 'HS256';

/** The HMAC key of JWT_SECRET (its UTF-8 bytes, as jsonwebtoken takes a string secret). */
export const jwtKey = (secret: string): KeyObject => createSecretKey(Buffer.from(secret, 'utf8'));

/** A session lookup that failed because of the token (e.g. a malformed id) finds nothing. */
const rethrowIfUnavailable = (err: unknown): null => {
  if (isDatabaseUnavailable(err)) throw err;
  return null;
};

/** Renew a sliding session at most this often: one write per active login per interval. */
const RENEW_EVERY_MS = 5 * 60 * 1000;

/**
 * Issues and checks access tokens; a token is valid only while its session row exists and has not
 * expired. Sessions slide: each use pushes expiresAt to now + SESSION_IDLE_SECONDS, never past
 * createdAt + SESSION_TTL_SECONDS (the JWT's own exp), so an unused login dies after the idle time.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly sessions: SessionRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cache: SessionCache,
  ) {}

  /** expiresAt is the absolute end of the login (for the cookie); the server also expires it when idle. */
  async issue(userId: string): Promise<{ token: string; expiresAt: Date }> {
    const { sessionTtlSeconds: ttl, sessionIdleSeconds: idle } = this.config.auth;
    const session = await this.sessions.create(userId, new Date(Date.now() + idle * 1000));
    const token = await this.jwt.signAsync({ sub: userId, sid: session.id }, { expiresIn: ttl });
    return { token, expiresAt: new Date(Date.now() + ttl * 1000) };
  }

  /** The principal of a verified payload whose session is still live, else null. */
  async principalOf(payload: unknown): Promise<AuthPrincipal | null> {
    if (typeof payload !== 'object' || payload === null) return null;
    const { sub, sid } = payload as { sub?: unknown; sid?: unknown };
    if (typeof sub !== 'string' || typeof sid !== 'string') return null;
    let session = this.cache.get(sid, sub);
    if (!session) {
      const epoch = this.cache.epoch;
      session = (await this.sessions.findLive(sid, sub).catch(rethrowIfUnavailable)) ?? undefined;
      if (!session) return null;
      this.cache.remember(sid, sub, session, epoch);
    }
    await this.slide(session).catch(() => undefined); // a missed renewal only shortens the session
    return { userId: sub, sessionId: sid, role: session.role, passwordChangeRequired: session.mustChangePassword };
  }

  private async slide(session: LiveSession): Promise<void> {
    const { sessionTtlSeconds: ttl, sessionIdleSeconds: idle } = this.config.auth;
    const now = Date.now();
    const target = Math.min(now + idle * 1000, session.createdAt.getTime() + ttl * 1000);
    if (target - session.expiresAt.getTime() >= Math.min(RENEW_EVERY_MS, idle * 500)) {
      await this.sessions.extend(session.id, new Date(target));
      // the remembered copy too: its next use must not renew it again
      session.expiresAt = new Date(target);
    }
  }

  /**
   * Verifies signature, algorithm and expiry of a raw token, then its session; returns who it
   * is and when the token itself ends (a connection it opened must not outlive it). Throws only
   * when the database cannot say (the caller answers "unavailable": a logged-in user must not be
   * sent to the login page by a database restart).
   */
  async verify(token: string): Promise<{ principal: AuthPrincipal; expiresAt: Date } | null> {
    let payload: { exp?: unknown };
    try {
      payload = await this.jwt.verifyAsync(token, { algorithms: [JWT_ALGORITHM] });
    } catch {
      return null;
    }
    // every token we issue has exp; one without it is not ours to trust
    if (typeof payload.exp !== 'number') return null;
    const principal = await this.principalOf(payload);
    return principal && { principal, expiresAt: new Date(payload.exp * 1000) };
  }

  async revoke(sessionId: string): Promise<void> {
    await this.sessions.delete(sessionId);
    await this.cache.forgetSession(sessionId);
  }

  /** Every token of every login of the user stops working. */
  async revokeAll(userId: string): Promise<number> {
    const revoked = await this.sessions.deleteAllOfUser(userId);
    await this.cache.forgetUser(userId);
    return revoked;
  }

  /** What the user's sessions say about them changed (their role): every process checks again. */
  forgetSessionsOf(userId: string): Promise<void> {
    return this.cache.forgetUser(userId);
  }
}
