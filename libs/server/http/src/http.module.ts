import { Module } from '@nestjs/common';
import { AccountsModule } from '@chatbox/server-accounts';
import { AdminModule } from '@chatbox/server-admin';
import { RateLimitModule } from '@chatbox/server-ratelimit';
import { ChatModule, MessagesModule } from '@chatbox/server-chat';
import { AdminController } from './admin.controller';
import { AuthController } from './auth.controller';
import { BlocksController } from './blocks.controller';
import { ConversationsController } from './conversations.controller';
import { DocsController } from './docs/docs.controller';
import { GroupsController } from './groups.controller';
import { HttpBaseModule } from './http-base.module';
import { MessagesController } from './messages.controller';
import { SearchController } from './search.controller';
import { QueueDashboard } from './queue-dashboard';
import { TransfersHttpModule } from './transfers-http.module';
import { UsersController } from './users.controller';

/** Every REST endpoint of the contract (the transfers' included), the one error mapper, and the admins' queue dashboard. */
@Module({
  imports: [HttpBaseModule, TransfersHttpModule, AccountsModule, RateLimitModule, ChatModule, MessagesModule, AdminModule],
  controllers: [AuthController, UsersController, GroupsController, ConversationsController, MessagesController, BlocksController, AdminController, SearchController, DocsController],
  providers: [QueueDashboard],
})
export class HttpModule {}
