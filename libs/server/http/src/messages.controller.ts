import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import {
  TReceiptList,
  TEditMessageBody,
  ZEditMessageBody,
  ZReactionParams,
  TChangesQuery,
  THistoryQuery,
  TMessage,
  TMessagePageWithNotices,
  TReadBody,
  TSendMessageBody,
  ZChangesQuery,
  ZHistoryQuery,
  ZReadBody,
  ZSendMessageBody,
} from '@chatbox/contracts';
import { AuthPrincipal, JwtAuthGuard, Principal } from '@chatbox/server-accounts';
import { AuditLogService } from '@chatbox/server-admin';
import { MessageChangeService, MessageService, ReceiptService } from '@chatbox/server-chat';
import { RateLimit } from '@chatbox/server-ratelimit';
import { IdParam } from './id-param';
import { ZodPipe } from './zod.pipe';

@Controller('conversations/:id')
@UseGuards(JwtAuthGuard)
export class MessagesController {
  constructor(
    private readonly messages: MessageService,
    private readonly changeOf: MessageChangeService,
    private readonly receipts: ReceiptService,
    private readonly audit: AuditLogService,
  ) {}

  @Get('receipts')
  receiptList(@Principal() p: AuthPrincipal, @IdParam('id') id: string): Promise<TReceiptList> {
    return this.receipts.list(p.userId, id);
  }

  @Get('messages')
  history(@Principal() p: AuthPrincipal, @IdParam('id') id: string, @Query(new ZodPipe(ZHistoryQuery)) query: THistoryQuery): Promise<TMessagePageWithNotices> {
    return this.messages.history(p.userId, id, query);
  }

  @Get('changes')
  changes(@Principal() p: AuthPrincipal, @IdParam('id') id: string, @Query(new ZodPipe(ZChangesQuery)) query: TChangesQuery): Promise<TMessagePageWithNotices> {
    return this.messages.changes(p.userId, id, query);
  }

  /** 201 when stored now, 200 with the stored message when the clientMsgId was already used. */
  @Post('messages')
  @RateLimit('send_user')
  async send(
    @Principal() p: AuthPrincipal,
    @IdParam('id') id: string,
    @Body(new ZodPipe(ZSendMessageBody)) body: TSendMessageBody,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TMessage> {
    const { message, created } = await this.messages.send(p.userId, id, body);
    res.status(created ? 201 : 200);
    return message;
  }

  @Post('read')
  @HttpCode(204)
  @RateLimit('read_user')
  async read(@Principal() p: AuthPrincipal, @IdParam('id') id: string, @Body(new ZodPipe(ZReadBody)) body: TReadBody): Promise<void> {
    await this.messages.markRead(p.userId, id, body.seq);
  }

  @Patch('messages/:messageId')
  edit(@Principal() p: AuthPrincipal, @IdParam('id') id: string, @IdParam('messageId') messageId: string, @Body(new ZodPipe(ZEditMessageBody)) body: TEditMessageBody): Promise<TMessage> {
    return this.changeOf.edit(p.userId, id, messageId, body.body);
  }

  @Delete('messages/:messageId')
  @HttpCode(204)
  async delete(@Principal() p: AuthPrincipal, @IdParam('id') id: string, @IdParam('messageId') messageId: string): Promise<void> {
    const isAdmin = p.role === 'admin';
    const { moderatedSenderId, deletedAnonymous } = await this.changeOf.delete(p.userId, id, messageId, isAdmin);
    // an anonymous message: recorded without its author (targetUserId null)
    if (isAdmin && (moderatedSenderId || deletedAnonymous)) {
      await this.audit.record({ actorId: p.userId, action: 'message.delete', targetUserId: moderatedSenderId, details: { conversationId: id, messageId } });
    }
  }

  @Put('messages/:messageId/reactions/:emoji')
  @HttpCode(204)
  async react(@Principal() p: AuthPrincipal, @IdParam('id') id: string, @IdParam('messageId') messageId: string, @Param(new ZodPipe(ZReactionParams)) params: { emoji: string }): Promise<void> {
    await this.changeOf.react(p.userId, id, messageId, params.emoji, true);
  }

  @Delete('messages/:messageId/reactions/:emoji')
  @HttpCode(204)
  async unreact(@Principal() p: AuthPrincipal, @IdParam('id') id: string, @IdParam('messageId') messageId: string, @Param(new ZodPipe(ZReactionParams)) params: { emoji: string }): Promise<void> {
    await this.changeOf.react(p.userId, id, messageId, params.emoji, false);
  }
}
