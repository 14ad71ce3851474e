import { Body, Controller, Get, Headers, HttpCode, Inject, Patch, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  TAuthResponse,
  TChangePasswordBody,
  TCookieAuthResponse,
  TLoginBody,
  TRegisterBody,
  TMeSettings,
  TUpdateMeBody,
  TOKEN_DELIVERY_COOKIE_ONLY,
  TOKEN_DELIVERY_HEADER,
  TRegistrationInfo,
  TUser,
  ZChangePasswordBody,
  ZLoginBody,
  ZRegisterBody,
  ZUpdateMeBody,
} from '@chatbox/contracts';
import { AccountsService, AuthPrincipal, JwtAuthGuard, LoginResult, OpenDuringPasswordChange, Principal } from '@chatbox/server-accounts';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { clientIp, LoginThrottle, RateLimit, RateLimiter, usernameSubject } from '@chatbox/server-ratelimit';
import { ZodPipe } from './zod.pipe';
import { clearAuthCookie, setAuthCookie } from './auth-cookie';

@Controller()
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly limiter: RateLimiter,
    private readonly loginThrottle: LoginThrottle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('auth/register')
  @HttpCode(201)
  @RateLimit('register_ip')
  async register(
    @Body(new ZodPipe(ZRegisterBody)) body: TRegisterBody,
    @Headers(TOKEN_DELIVERY_HEADER) delivery: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TAuthResponse | TCookieAuthResponse> {
    // per username, only attempts that could create the account count: a refused password must
    // not lock a newcomer's chosen name
    const admit = () => this.limiter.consume('register_user', usernameSubject(body.username));
    return this.withCookie(res, await this.accounts.register(body, admit), delivery);
  }

  @Post('auth/login')
  @HttpCode(200)
  @RateLimit('login_ip')
  async login(
    @Body(new ZodPipe(ZLoginBody)) body: TLoginBody,
    @Headers(TOKEN_DELIVERY_HEADER) delivery: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TAuthResponse | TCookieAuthResponse> {
    const result = await this.loginThrottle.attempt(body.username, clientIp(req), () => this.accounts.login(body));
    return this.withCookie(res, result, delivery);
  }

  @Post('auth/logout')
  @OpenDuringPasswordChange()
  @HttpCode(204)
  @UseGuards(JwtAuthGuard)
  async logout(@Principal() principal: AuthPrincipal, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.accounts.logout(principal);
    clearAuthCookie(res, this.config);
  }

  @Post('auth/password')
  @OpenDuringPasswordChange()
  @HttpCode(200)
  @UseGuards(JwtAuthGuard)
  @RateLimit('password_user')
  async changePassword(
    @Principal() principal: AuthPrincipal,
    @Body(new ZodPipe(ZChangePasswordBody)) body: TChangePasswordBody,
    @Headers(TOKEN_DELIVERY_HEADER) delivery: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TAuthResponse | TCookieAuthResponse> {
    return this.withCookie(res, await this.accounts.changePassword(principal, body), delivery);
  }

  /** Extension of API.md: who may register now, for the sign-up page (no login needed). */
  @Get('registration')
  registration(): Promise<TRegistrationInfo> {
    return this.accounts.registration();
  }

  @Get('me')
  @OpenDuringPasswordChange()
  @UseGuards(JwtAuthGuard)
  me(@Principal() principal: AuthPrincipal): Promise<TUser> {
    return this.accounts.me(principal);
  }

  @Get('me/settings')
  @UseGuards(JwtAuthGuard)
  settings(@Principal() principal: AuthPrincipal): Promise<TMeSettings> {
    return this.accounts.meSettings(principal);
  }

  @Patch('me')
  @UseGuards(JwtAuthGuard)
  updateMe(@Principal() principal: AuthPrincipal, @Body(new ZodPipe(ZUpdateMeBody)) body: TUpdateMeBody): Promise<TUser> {
    return this.accounts.updateMe(principal, body);
  }

  /** The session cookie always; the token in the body too unless the caller asked for the cookie only. */
  private withCookie(res: Response, result: LoginResult, delivery: string | undefined): TAuthResponse | TCookieAuthResponse {
    setAuthCookie(res, this.config, result.accessToken, result.expiresAt);
    const { user, passwordChangeRequired } = result;
    if (delivery === TOKEN_DELIVERY_COOKIE_ONLY) return { user, passwordChangeRequired };
    return { user, accessToken: result.accessToken, passwordChangeRequired };
  }
}
