import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { toUser, type TAuthResponse, type TChangePasswordBody, type TLoginBody, type TRegisterBody, type TUpdateMeBody, type TUser } from '@chatbox/contracts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { AppError } from '@chatbox/server-common';
import { PresenceStore } from '@chatbox/server-presence';
import { PasswordHasher } from './password-hasher';
import { assertAcceptablePassword } from './password-policy';
import { SOCKET_DISCONNECTOR, SocketDisconnector } from './socket-disconnector.port';
import { USER_ANNOUNCER, UserAnnouncer } from './user-announcer.port';
import { UserRepository, UserRow } from './user.repository';
import { AuthPrincipal, TokenService } from './token.service';

export type LoginResult = TAuthResponse & { expiresAt: Date };

const INVALID_LOGIN = 'Wrong username or password.';

@Injectable()
export class AccountsService {
  private readonly logger = new Logger(AccountsService.name);
  private readonly hasher: PasswordHasher;

  constructor(
    private readonly users: UserRepository,
    private readonly tokens: TokenService,
    private readonly presence: PresenceStore,
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() @Inject(SOCKET_DISCONNECTOR) private readonly sockets?: SocketDisconnector,
    @Optional() @Inject(USER_ANNOUNCER) private readonly announcer?: UserAnnouncer,
  ) {
    this.hasher = new PasswordHasher(config.auth.bcryptCost);
  }

  /** `admit` runs once the request is valid, before anything is stored (the per-username limit). */
  async register(body: TRegisterBody, admit?: () => Promise<void>): Promise<LoginResult> {
    assertAcceptablePassword(body.password);
    await admit?.();
    const passwordHash = await this.hasher.hash(body.password);
    const user = await this.users.createWithAllMembership({
      username: body.username,
      displayName: body.displayName ?? body.username,
      passwordHash,
    });
    const session = await this.startSession(user);
    await this.announcer?.registered(session.user);
    return session;
  }

  /** Unknown user and wrong password fail alike, in the same time. */
  async login(body: TLoginBody): Promise<LoginResult> {
    const user = await this.users.findByUsername(body.username);
    const ok = await this.hasher.verify(body.password, user?.passwordHash);
    if (!user || !ok) throw AppError.unauthorized(INVALID_LOGIN);
    return this.startSession(user);
  }

  /** Revokes this login's token and closes the sockets opened with it. */
  async logout(principal: AuthPrincipal): Promise<void> {
    await this.tokens.revoke(principal.sessionId);
    await this.sockets?.disconnectSession(principal.sessionId);
  }

  /**
   * Checks the current password, stores the new one, revokes every session of the user (all
   * devices) and closes all their sockets; the caller continues on a fresh session.
   */
  async changePassword(principal: AuthPrincipal, body: TChangePasswordBody): Promise<LoginResult> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw AppError.unauthorized();
    if (!(await this.hasher.verify(body.currentPassword, user.passwordHash))) {
      throw AppError.validation({ currentPassword: 'is wrong' });
    }
    if (body.newPassword === body.currentPassword) {
      throw AppError.validation({ newPassword: 'must differ from the current password' });
    }
    assertAcceptablePassword(body.newPassword, 'newPassword');
    await this.users.updatePasswordHash(user.id, await this.hasher.hash(body.newPassword));
    const revoked = await this.tokens.revokeAll(user.id);
    await this.sockets?.disconnectUser(user.id);
    this.logger.log(`password changed for user ${user.id}; ${revoked} session(s) revoked`);
    return this.startSession(user);
  }

  /** PATCH /api/me: the display name and whether others see the user's read receipts. */
  async updateMe(principal: AuthPrincipal, body: TUpdateMeBody): Promise<TUser> {
    const user = await this.users.updateProfile(principal.userId, body);
    if (!user) throw AppError.unauthorized();
    return toUser(user, await this.presence.isOnline(user.id));
  }

  async me(principal: AuthPrincipal): Promise<TUser> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw AppError.unauthorized();
    return toUser(user, await this.presence.isOnline(user.id));
  }

  private async startSession(user: UserRow): Promise<LoginResult> {
    const { token, expiresAt } = await this.tokens.issue(user.id);
    return {
      user: toUser(user, await this.presence.isOnline(user.id)),
      accessToken: token,
      expiresAt,
    };
  }
}
