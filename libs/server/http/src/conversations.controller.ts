import { Body, Controller, Get, Post, Put, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { TConversation, TNotifyBody, TOpenDirectBody, TPage, TPageQuery, ZConversationListQuery, ZNotifyBody, ZOpenDirectBody } from '@chatbox/contracts';
import { AuthPrincipal, JwtAuthGuard, Principal } from '@chatbox/server-accounts';
import { ConversationViewService, MembershipService, NotifyLevelService } from '@chatbox/server-chat';
import { IdParam } from './id-param';
import { ZodPipe } from './zod.pipe';

@Controller('conversations')
@UseGuards(JwtAuthGuard)
export class ConversationsController {
  constructor(
    private readonly views: ConversationViewService,
    private readonly memberships: MembershipService,
    private readonly notifyLevels: NotifyLevelService,
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

  @Put(':id/notify')
  notify(@Principal() me: AuthPrincipal, @IdParam('id') id: string, @Body(new ZodPipe(ZNotifyBody)) body: TNotifyBody): Promise<TConversation> {
    return this.notifyLevels.set(me.userId, id, body.level);
  }
}
