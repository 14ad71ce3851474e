import { Body, Controller, Get, HttpCode, Patch, Post, Query, UseGuards } from '@nestjs/common';
import {
  TAdminSettings,
  TAdminSettingsBody,
  TAdminUserQuery,
  TAuditEntry,
  TAuditQuery,
  TInvite,
  TInviteBody,
  TPage,
  TPasswordResetResponse,
  TRoleBody,
  TUser,
  ZAdminSettingsBody,
  ZAdminUserQuery,
  ZAuditQuery,
  ZInviteBody,
  ZRoleBody,
} from '@chatbox/contracts';
import { AdminGuard, AuthPrincipal, JwtAuthGuard, Principal } from '@chatbox/server-accounts';
import { AdminUsersService, AuditLogService, RegistrationAdminService } from '@chatbox/server-admin';
import { IdParam } from './id-param';
import { ZodPipe } from './zod.pipe';

/** API.md "Accounts and administration": everything here answers 403 to a non-admin. */
@Controller('admin')
@UseGuards(JwtAuthGuard, AdminGuard)
export class AdminController {
  constructor(
    private readonly users: AdminUsersService,
    private readonly registration: RegistrationAdminService,
    private readonly audit: AuditLogService,
  ) {}

  @Get('users')
  list(@Query(new ZodPipe(ZAdminUserQuery)) query: TAdminUserQuery): Promise<TPage<TUser>> {
    return this.users.list(query);
  }

  @Post('users/:id/deactivate')
  @HttpCode(204)
  deactivate(@Principal() p: AuthPrincipal, @IdParam('id') id: string): Promise<void> {
    return this.users.deactivate(p.userId, id);
  }

  @Post('users/:id/reactivate')
  @HttpCode(204)
  reactivate(@Principal() p: AuthPrincipal, @IdParam('id') id: string): Promise<void> {
    return this.users.reactivate(p.userId, id);
  }

  @Post('users/:id/role')
  @HttpCode(204)
  async setRole(@Principal() p: AuthPrincipal, @IdParam('id') id: string, @Body(new ZodPipe(ZRoleBody)) body: TRoleBody): Promise<void> {
    await this.users.setRole(p.userId, id, body.role);
  }

  @Post('users/:id/password')
  @HttpCode(200)
  async resetPassword(@Principal() p: AuthPrincipal, @IdParam('id') id: string): Promise<TPasswordResetResponse> {
    return { password: await this.users.resetPassword(p.userId, id) };
  }

  @Get('settings')
  settings(): Promise<TAdminSettings> {
    return this.registration.current();
  }

  @Patch('settings')
  updateSettings(@Principal() p: AuthPrincipal, @Body(new ZodPipe(ZAdminSettingsBody)) body: TAdminSettingsBody): Promise<TAdminSettings> {
    return this.registration.update(p.userId, body);
  }

  @Post('invites')
  @HttpCode(201)
  invite(@Principal() p: AuthPrincipal, @Body(new ZodPipe(ZInviteBody)) body: TInviteBody): Promise<TInvite> {
    return this.registration.invite(p.userId, body);
  }

  @Get('audit')
  auditLog(@Query(new ZodPipe(ZAuditQuery)) query: TAuditQuery): Promise<TPage<TAuditEntry>> {
    return this.audit.page(query);
  }
}
