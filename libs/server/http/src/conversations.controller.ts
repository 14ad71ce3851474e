import { Body, Controller, Get, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { TConversation, TOpenDirectBody, TPage, TPageQuery, ZConversationListQuery, ZOpenDirectBody } from '@chatbox/contracts';
import { AuthPrincipal, JwtAuthGuard, Principal } from '@chatbox/server-accounts';
import { ConversationViewService, MembershipService } from '@chatbox/server-chat';
import { ZodPipe } from './zod.pipe';

@Controller('conversations')
@UseGuards(JwtAuthGuard)
export class ConversationsController {
  constructor(
    private readonly views: ConversationViewService,
    private readonly memberships: MembershipService,
  ) {}

  @Get()
  list(@Principal() me: AuthPrincipal, @Query(new ZodPipe(ZConversationListQuery)) page: TPageQuery): Promise<TPage<TConversation>> {
    return this.views.forUser(me.userId, page);
  }

  /** 201 when this call created the conversation, 200 when it already existed. */
  @Post('direct')
  async openDirect(@Principal() me: AuthPrincipal, @Body(new ZodPipe(ZOpenDirectBody)) body: TOpenDirectBody, @Res({ passthrough: true }) res: Response): Promise<TConversation> {
    const { conversation, created } = await this.memberships.openDirect(me.userId, body.userId);
    res.status(created ? 201 : 200);
    return conversation;
  }
}
