import { Controller, Delete, Get, HttpCode, Param, Put, UseGuards } from '@nestjs/common';
import { TBlockList, TUserPathParams, ZUserPathParams } from '@chatbox/contracts';
import { AuthPrincipal, JwtAuthGuard, Principal } from '@chatbox/server-accounts';
import { BlockService } from '@chatbox/server-chat';
import { ZodPipe } from './zod.pipe';

/** Blocking people (an extension of API.md; see ZBlockList in the contracts). */
@Controller()
@UseGuards(JwtAuthGuard)
export class BlocksController {
  constructor(private readonly blocks: BlockService) {}

  @Put('users/:id/block')
  @HttpCode(204)
  async block(@Principal() me: AuthPrincipal, @Param(new ZodPipe(ZUserPathParams)) params: TUserPathParams): Promise<void> {
    await this.blocks.block(me.userId, params.id);
  }

  @Delete('users/:id/block')
  @HttpCode(204)
  async unblock(@Principal() me: AuthPrincipal, @Param(new ZodPipe(ZUserPathParams)) params: TUserPathParams): Promise<void> {
    await this.blocks.unblock(me.userId, params.id);
  }

  @Get('me/blocks')
  list(@Principal() me: AuthPrincipal): Promise<TBlockList> {
    return this.blocks.list(me.userId);
  }
}
