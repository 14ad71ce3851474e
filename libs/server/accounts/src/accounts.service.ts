import { Inject, Injectable } from '@nestjs/common';
import type { TAuthResponse, TLoginBody, TRegisterBody, TUser } from '@chatbox/contracts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { AppError } from '@chatbox/server-common';
import { PresenceStore } from '@chatbox/server-presence';
import { PasswordHasher } from './password-hasher';
import { UserRepository, UserRow } from './user.repository';
import { AuthPrincipal, TokenService } from './token.service';

export type LoginResult = TAuthResponse & { expiresAt: Date };

const INVALID_LOGIN = 'Wrong username or password.';

@Injectable()
export class AccountsService {
  private readonly hasher: PasswordHasher;

  constructor(
    private readonly users: UserRepository,
    private readonly tokens: TokenService,
    private readonly presence: PresenceStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.hasher = new PasswordHasher(config.auth.bcryptCost);
  }

  async register(body: TRegisterBody): Promise<LoginResult> {
    const passwordHash = await this.hasher.hash(body.password);
    const user = await this.users.createWithAllMembership({
      username: body.username,
      displayName: body.displayName ?? body.username,
      passwordHash,
    });
    return this.startSession(user);
  }

  /** Unknown user and wrong password fail alike, in the same time. */
  async login(body: TLoginBody): Promise<LoginResult> {
    const user = await this.users.findByUsername(body.username);
    const ok = await this.hasher.verify(body.password, user?.passwordHash);
    if (!user || !ok) throw AppError.unauthorized(INVALID_LOGIN);
    return this.startSession(user);
  }

  logout(principal: AuthPrincipal): Promise<void> {
    return this.tokens.revoke(principal.sessionId);
  }

  async me(principal: AuthPrincipal): Promise<TUser> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw AppError.unauthorized();
    return { ...toPublicUser(user), online: await this.presence.isOnline(user.id) };
  }

  private async startSession(user: UserRow): Promise<LoginResult> {
    const { token, expiresAt } = await this.tokens.issue(user.id);
    return {
      user: { ...toPublicUser(user), online: await this.presence.isOnline(user.id) },
      accessToken: token,
      expiresAt,
    };
  }
}

function toPublicUser(user: UserRow): Omit<TUser, 'online'> {
  return { id: user.id, username: user.username, displayName: user.displayName };
}
