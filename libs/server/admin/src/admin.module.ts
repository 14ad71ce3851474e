import { Module } from '@nestjs/common';
import { AccountsModule } from '@chatbox/server-accounts';
import { ChatModule } from '@chatbox/server-chat';
import { AdminUsersRepository } from './admin-users.repository';
import { AdminUsersService } from './admin-users.service';
import { AuditLogRepository } from './audit-log.repository';
import { AuditLogService } from './audit-log.service';
import { RegistrationAdminService } from './registration-admin.service';

/** Administration: users, sign-up settings and invites, the audit log (API.md "Accounts and administration"). */
@Module({
  imports: [AccountsModule, ChatModule],
  providers: [AdminUsersRepository, AdminUsersService, AuditLogRepository, AuditLogService, RegistrationAdminService],
  exports: [AdminUsersService, AuditLogService, RegistrationAdminService],
})
export class AdminModule {}
