import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AccountsModule } from '@chatbox/server-accounts';
import { AdminModule } from '@chatbox/server-admin';
import { RateLimitModule } from '@chatbox/server-ratelimit';
import { ChatModule, MessagesModule } from '@chatbox/server-chat';
import { AdminController } from './admin.controller';
import { AttachmentsController } from './attachments.controller';
import { AuthController } from './auth.controller';
import { BlocksController } from './blocks.controller';
import { ConversationsController } from './conversations.controller';
import { DocsController } from './docs/docs.controller';
import { ErrorFilter } from './error.filter';
import { ExportController } from './export.controller';
import { GroupsController } from './groups.controller';
import { HealthController } from './health.controller';
import { MessagesController } from './messages.controller';
import { SearchController } from './search.controller';
import { QueueDashboard } from './queue-dashboard';
import { TransferBudget } from './transfer-budget';
import { TransferSlots } from './transfer-slots';
import { UploadsController } from './uploads.controller';
import { UsersController } from './users.controller';

/** Every REST endpoint of the contract, the one error mapper, and the admins' queue dashboard. */
@Module({
  imports: [AccountsModule, RateLimitModule, ChatModule, MessagesModule, AdminModule],
  controllers: [HealthController, AuthController, UsersController, GroupsController, ConversationsController, MessagesController, BlocksController, AdminController, SearchController, ExportController, UploadsController, AttachmentsController, DocsController],
  providers: [{ provide: APP_FILTER, useClass: ErrorFilter }, QueueDashboard, TransferSlots, TransferBudget],
})
export class HttpModule {}
