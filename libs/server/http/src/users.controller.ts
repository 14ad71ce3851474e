import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { TPage, TPageQuery, TUser, TUserSearchQuery, ZPageQuery, ZUserSearchQuery } from '@chatbox/contracts';
import { JwtAuthGuard } from '@chatbox/server-accounts';
import { UserDirectoryService } from '@chatbox/server-chat';
import { RateLimit } from '@chatbox/server-ratelimit';
import { ZodPipe } from './zod.pipe';

@Controller('users')
@UseGuards(JwtAuthGuard)
export class UsersController {
  constructor(private readonly users: UserDirectoryService) {}

  @Get()
  @RateLimit('search_user')
  search(@Query(new ZodPipe(ZUserSearchQuery)) query: TUserSearchQuery): Promise<TPage<TUser>> {
    return this.users.search(query);
  }

  @Get('online')
  online(@Query(new ZodPipe(ZPageQuery)) page: TPageQuery): Promise<TPage<TUser>> {
    return this.users.online(page);
  }
}
