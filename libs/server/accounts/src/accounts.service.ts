import { randomInt } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { toUser, type TAuthResponse, type TChangePasswordBody, type TLoginBody, type TMeSettings, type TRegisterBody, type TRegistrationInfo, type TUpdateMeBody, type TUser } from '@chatbox/contracts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { AppError, userFieldsOf } from '@chatbox/server-common';
import { PresenceStore } from '@chatbox/server-presence';
import { PasswordHasher } from './password-hasher';
import { assertAcceptablePassword } from './password-policy';
import { SOCKET_DISCONNECTOR, SocketDisconnector } from './socket-disconnector.port';
import { InstanceSettingsRepository } from './registration/instance-settings.repository';
import { inviteCodeHash } from './registration/invite.repository';
import { USER_ANNOUNCER, UserAnnouncer } from './user-announcer.port';
import { UserRepository, UserRow } from './user.repository';
import { AuthPrincipal, TokenService } from './token.service';

export type LoginResult = TAuthResponse & { expiresAt: Date };

const INVALID_LOGIN = 'Wrong username or password.';

/** Letters and digits nobody misreads when told a password (no 0/O, 1/l/I). */
const READABLE = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Three groups of four readable characters (about 59 bits): easy to pass on, hard to guess. */
function oneTimePassword(): string {
  const chars = Array.from({ length: 12 }, () => READABLE[randomInt(READABLE.length)]);
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

@Injectable()
export class AccountsService {
  private readonly logger = new Logger(AccountsService.name);
  private readonly hasher: PasswordHasher;

  constructor(
    private readonly users: UserRepository,
    private readonly tokens: TokenService,
    private readonly presence: PresenceStore,
    private readonly settings: InstanceSettingsRepository,
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() @Inject(SOCKET_DISCONNECTOR) private readonly sockets?: SocketDisconnector,
    @Optional() @Inject(USER_ANNOUNCER) private readonly announcer?: UserAnnouncer,
  ) {
    this.hasher = new PasswordHasher(config.auth.bcryptCost);
  }

  /**
   * `admit` runs once the request is valid, before anything is stored (the per-username limit).
   * The registration setting decides who may: anyone, holders of an invite (used up by this
   * registration), nobody (403). The very first registration makes an admin.
   */
  async register(body: TRegisterBody, admit?: () => Promise<void>): Promise<LoginResult> {
    const settings = await this.settings.read();
    if (settings.registration === 'closed') throw AppError.forbidden('Registration is closed.', 'registration_closed');
    if (settings.registration === 'invite' && !body.inviteCode) {
      throw AppError.forbidden('Registration needs an invite.', 'invite_required');
    }
    assertAcceptablePassword(body.password);
    await admit?.();
    const passwordHash = await this.hasher.hash(body.password);
    const user = await this.users.createWithAllMembership(
      { username: body.username, displayName: body.displayName ?? body.username, passwordHash },
      {
        inviteCodeHash: settings.registration === 'invite' && body.inviteCode ? inviteCodeHash(body.inviteCode) : undefined,
        mayBeFirst: !settings.firstAdminClaimed,
      },
    );
    const session = await this.startSession(user);
    await this.announcer?.registered(session.user);
    return session;
  }

  /**
   * Unknown user and wrong password fail alike, in the same time. A deactivated account is told
   * so (403) only to someone who knows its password.
   */
  async login(body: TLoginBody): Promise<LoginResult> {
    const user = await this.users.findByUsername(body.username);
    const ok = await this.hasher.verify(body.password, user?.passwordHash);
    if (!user || !ok) throw AppError.unauthorized(INVALID_LOGIN);
    if (user.deactivatedAt) throw AppError.forbidden('This account has been deactivated by an administrator.', 'deactivated');
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
    return this.startSession({ ...user, mustChangePassword: false });
  }

  /** Every session of the user revoked, every socket closed (on every api process). */
  async signOutEverywhere(userId: string): Promise<number> {
    const revoked = await this.tokens.revokeAll(userId);
    await this.sockets?.disconnectUser(userId);
    return revoked;
  }

  /** The user's role changed: every api process reads it again on their next request. */
  roleChanged(userId: string): Promise<void> {
    return this.tokens.forgetSessionsOf(userId);
  }

  /**
   * For an admin's reset: a random one-time password and its hash. The admin stores the hash
   * (with mustChangePassword) in its own transaction, then calls signOutEverywhere.
   */
  async newOneTimePassword(): Promise<{ password: string; passwordHash: string }> {
    const password = oneTimePassword();
    return { password, passwordHash: await this.hasher.hash(password) };
  }

  /** PATCH /api/me: the display name and whether others see the user's read receipts. */
  async updateMe(principal: AuthPrincipal, body: TUpdateMeBody): Promise<TUser> {
    const user = await this.users.updateProfile(principal.userId, body);
    if (!user) throw AppError.unauthorized();
    return toUser(userFieldsOf(user), await this.presence.isOnline(user.id));
  }

  async registration(): Promise<TRegistrationInfo> {
    const { registration } = await this.settings.read();
    return { registration };
  }

  async me(principal: AuthPrincipal): Promise<TUser> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw AppError.unauthorized();
    return toUser(userFieldsOf(user), await this.presence.isOnline(user.id));
  }

  async meSettings(principal: AuthPrincipal): Promise<TMeSettings> {
    const settings = await this.users.settings(principal.userId);
    if (!settings) throw AppError.unauthorized();
    return settings;
  }

  private async startSession(user: UserRow): Promise<LoginResult> {
    const { token, expiresAt } = await this.tokens.issue(user.id);
    return {
      user: toUser(userFieldsOf(user), await this.presence.isOnline(user.id)),
      accessToken: token,
      passwordChangeRequired: user.mustChangePassword,
      expiresAt,
    };
  }
}
