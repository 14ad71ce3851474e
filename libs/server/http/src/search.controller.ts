import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { TMessageSearchPage, TMessageSearchQuery, ZMessageSearchQuery } from '@chatbox/contracts';
import { AuthPrincipal, JwtAuthGuard, Principal } from '@chatbox/server-accounts';
import { MessageSearchService } from '@chatbox/server-chat';
import { RateLimit } from '@chatbox/server-ratelimit';
import { ZodPipe } from './zod.pipe';

@Controller('search')
@UseGuards(JwtAuthGuard)
export class SearchController {
  constructor(private readonly messages: MessageSearchService) {}

  @Get('messages')
  @RateLimit('search_user')
  searchMessages(@Principal() p: AuthPrincipal, @Query(new ZodPipe(ZMessageSearchQuery)) query: TMessageSearchQuery): Promise<TMessageSearchPage> {
    return this.messages.search(p.userId, query);
  }
}
