import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, UseGuards } from '@nestjs/common';
import {
  TAddMembersBody,
  TConversation,
  TCreateGroupBody,
  TGroupSearchQuery,
  TGroupSummary,
  TMember,
  TPage,
  TPageQuery,
  TUpdateGroupBody,
  LIMITS,
  ZAddMembersBody,
  ZCreateGroupBody,
  ZGroupSearchQuery,
  ZMemberListQuery,
  ZUpdateGroupBody,
} from '@chatbox/contracts';
import { AuthPrincipal, JwtAuthGuard, Principal } from '@chatbox/server-accounts';
import { GroupDirectoryService, GroupSettingsService, MembershipService } from '@chatbox/server-chat';
import { perListEntry, RateLimit } from '@chatbox/server-ratelimit';
import { IdParam } from './id-param';
import { ZodPipe } from './zod.pipe';

@Controller('groups')
@UseGuards(JwtAuthGuard)
export class GroupsController {
  constructor(
    private readonly memberships: MembershipService,
    private readonly groups: GroupDirectoryService,
    private readonly settings: GroupSettingsService,
  ) {}

  @Post()
  @HttpCode(201)
  @RateLimit('group_create_user', { name: 'member_add_user', cost: perListEntry('memberIds', LIMITS.addMembersMax) })
  async create(@Principal() me: AuthPrincipal, @Body(new ZodPipe(ZCreateGroupBody)) body: TCreateGroupBody): Promise<TConversation> {
    return (await this.memberships.createGroup(me.userId, body)).conversation;
  }

  /** Version 2: the owner changes name, description, anonymous questions (403 for anyone else). */
  @Patch(':id')
  update(@Principal() me: AuthPrincipal, @IdParam('id') id: string, @Body(new ZodPipe(ZUpdateGroupBody)) body: TUpdateGroupBody): Promise<TConversation> {
    return this.settings.update(me.userId, id, body);
  }

  @Get()
  @RateLimit('search_user')
  find(@Principal() me: AuthPrincipal, @Query(new ZodPipe(ZGroupSearchQuery)) query: TGroupSearchQuery): Promise<TPage<TGroupSummary>> {
    return this.groups.find(me.userId, query);
  }

  @Post(':id/join')
  @HttpCode(200)
  async join(@Principal() me: AuthPrincipal, @IdParam('id') id: string): Promise<TConversation> {
    return (await this.memberships.join(me.userId, id)).conversation;
  }

  @Get(':id/members')
  members(@Principal() me: AuthPrincipal, @IdParam('id') id: string, @Query(new ZodPipe(ZMemberListQuery)) page: TPageQuery): Promise<TPage<TMember>> {
    return this.groups.members(me.userId, id, page);
  }

  @Post(':id/members')
  @HttpCode(200)
  @RateLimit({ name: 'member_add_user', cost: perListEntry('userIds', LIMITS.addMembersMax) })
  async addMembers(@Principal() me: AuthPrincipal, @IdParam('id') id: string, @Body(new ZodPipe(ZAddMembersBody)) body: TAddMembersBody): Promise<TConversation> {
    return (await this.memberships.addMembers(me.userId, id, body.userIds)).conversation;
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  async removeMember(@Principal() me: AuthPrincipal, @IdParam('id') id: string, @IdParam('userId') userId: string): Promise<void> {
    await this.memberships.removeMember(me.userId, id, userId);
  }
}
