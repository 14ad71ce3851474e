import { Controller, Delete, Get, HttpCode, Put, UseGuards } from '@nestjs/common';
import type { TBlockList } from '@chatbox/contracts';
import { AuthPrincipal, JwtAuthGuard, Principal } from '@chatbox/server-accounts';
import { BlockService } from '@chatbox/server-chat';
import { IdParam } from './id-param';

/** Blocking people (an extension of API.md; see ZBlockList in the contracts). */
@Controller()
@UseGuards(JwtAuthGuard)
export class BlocksController {
  constructor(private readonly blocks: BlockService) {}

  @Put('users/:id/block')
  @HttpCode(204)
  async block(@Principal() me: AuthPrincipal, @IdParam('id') id: string): Promise<void> {
    await this.blocks.block(me.userId, id);
  }

  @Delete('users/:id/block')
  @HttpCode(204)
  async unblock(@Principal() me: AuthPrincipal, @IdParam('id') id: string): Promise<void> {
    await this.blocks.unblock(me.userId, id);
  }

  @Get('me/blocks')
  list(@Principal() me: AuthPrincipal): Promise<TBlockList> {
    return this.blocks.list(me.userId);
  }
}
