import { Body, Controller, Get, HttpCode, Inject, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import {
  TAuthResponse,
  TChangePasswordBody,
  TLoginBody,
  TRegisterBody,
  TUser,
  ZChangePasswordBody,
  ZLoginBody,
  ZRegisterBody,
} from '@chatbox/contracts';
import { AccountsService, AuthPrincipal, JwtAuthGuard, LoginResult, Principal } from '@chatbox/server-accounts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { RateLimit } from '@chatbox/server-ratelimit';
import { ZodPipe } from './zod.pipe';
import { clearAuthCookie, setAuthCookie } from './auth-cookie';

@Controller()
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('auth/register')
  @HttpCode(201)
  @RateLimit('register_ip', 'register_user')
  async register(@Body(new ZodPipe(ZRegisterBody)) body: TRegisterBody, @Res({ passthrough: true }) res: Response): Promise<TAuthResponse> {
    return this.withCookie(res, await this.accounts.register(body));
  }

  @Post('auth/login')
  @HttpCode(200)
  @RateLimit('login_ip', 'login_user')
  async login(@Body(new ZodPipe(ZLoginBody)) body: TLoginBody, @Res({ passthrough: true }) res: Response): Promise<TAuthResponse> {
    return this.withCookie(res, await this.accounts.login(body));
  }

  @Post('auth/logout')
  @HttpCode(204)
  @UseGuards(JwtAuthGuard)
  async logout(@Principal() principal: AuthPrincipal, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.accounts.logout(principal);
    clearAuthCookie(res, this.config);
  }

  @Post('auth/password')
  @HttpCode(200)
  @UseGuards(JwtAuthGuard)
  @RateLimit('password_user')
  async changePassword(
    @Principal() principal: AuthPrincipal,
    @Body(new ZodPipe(ZChangePasswordBody)) body: TChangePasswordBody,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TAuthResponse> {
    return this.withCookie(res, await this.accounts.changePassword(principal, body));
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
