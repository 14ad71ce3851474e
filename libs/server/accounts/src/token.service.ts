import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { SessionRepository } from './session.repository';

/** Who is calling: the user and the login (session) the token belongs to. */
export type AuthPrincipal = { userId: string; sessionId: string };

export const JWT_ALGORITHM = 'HS256';

/** Issues and checks access tokens; a token is valid only while its session row exists. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly sessions: SessionRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(userId: string): Promise<{ token: string; expiresAt: Date }> {
    const ttl = this.config.auth.sessionTtlSeconds;
    const expiresAt = new Date(Date.now() + ttl * 1000);
    const session = await this.sessions.create(userId, expiresAt);
    const token = await this.jwt.signAsync({ sub: userId, sid: session.id }, { expiresIn: ttl });
    return { token, expiresAt };
  }

  /** The principal of a verified payload whose session is still live, else null. */
  async principalOf(payload: unknown): Promise<AuthPrincipal | null> {
    if (typeof payload !== 'object' || payload === null) return null;
    const { sub, sid } = payload as { sub?: unknown; sid?: unknown };
    if (typeof sub !== 'string' || typeof sid !== 'string') return null;
    const session = await this.sessions.findLive(sid, sub).catch(() => null);
    return session ? { userId: sub, sessionId: sid } : null;
  }

  /** Verifies signature, algorithm and expiry of a raw token, then its session. */
  async verify(token: string): Promise<AuthPrincipal | null> {
    try {
      const payload: unknown = await this.jwt.verifyAsync(token, { algorithms: [JWT_ALGORITHM] });
      return await this.principalOf(payload);
    } catch {
      return null;
    }
  }

  revoke(sessionId: string): Promise<void> {
    return this.sessions.delete(sessionId);
  }

  /** Every token of every login of the user stops working. */
  revokeAll(userId: string): Promise<number> {
    return this.sessions.deleteAllOfUser(userId);
  }
}
