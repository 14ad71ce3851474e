import { Module } from '@nestjs/common';
import { AccessRepository } from './access/access.repository';
import { ConversationAccess } from './access/conversation-access.service';

/** The chat domain: conversations, memberships, messages and who may do what with them. */
@Module({
  providers: [AccessRepository, ConversationAccess],
  exports: [ConversationAccess],
})
export class ChatModule {}
