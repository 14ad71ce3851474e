import { Body, Controller, Get, HttpCode, Inject, Logger, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { TAuthResponse, TLoginBody, TRegisterBody, TUser, ZLoginBody, ZRegisterBody } from '@chatbox/contracts';
import { AccountsService, AuthPrincipal, JwtAuthGuard, LoginResult, Principal } from '@chatbox/server-accounts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { ChatGateway } from '@chatbox/server-realtime';
import { ZodPipe } from './zod.pipe';
import { clearAuthCookie, setAuthCookie } from './auth-cookie';

@Controller()
export class AuthController {
  private readonly logger = new Logger(AuthController.name);

  constructor(
    private readonly accounts: AccountsService,
    private readonly sockets: ChatGateway,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('auth/register')
  @HttpCode(201)
  async register(@Body(new ZodPipe(ZRegisterBody)) body: TRegisterBody, @Res({ passthrough: true }) res: Response): Promise<TAuthResponse> {
    return this.withCookie(res, await this.accounts.register(body));
  }

  @Post('auth/login')
  @HttpCode(200)
  async login(@Body(new ZodPipe(ZLoginBody)) body: TLoginBody, @Res({ passthrough: true }) res: Response): Promise<TAuthResponse> {
    return this.withCookie(res, await this.accounts.login(body));
  }

  @Post('auth/logout')
  @HttpCode(204)
  @UseGuards(JwtAuthGuard)
  async logout(@Principal() principal: AuthPrincipal, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.accounts.logout(principal);
    clearAuthCookie(res, this.config);
    // the token no longer works; sockets opened with it must not keep receiving
    await this.sockets.closeSession(principal.userId, principal.sessionId).catch((err: unknown) => {
      this.logger.warn(`sockets of session ${principal.sessionId} not closed: ${String(err)}`);
    });
  }

  @Get('me')
  @UseGuards(JwtAuthGuard)
  me(@Principal() principal: AuthPrincipal): Promise<TUser> {
    return this.accounts.me(principal);
  }

  private withCookie(res: Response, result: LoginResult): TAuthResponse {
    setAuthCookie(res, this.config, result.accessToken, result.expiresAt);
    return { user: result.user, accessToken: result.accessToken };
  }
}
