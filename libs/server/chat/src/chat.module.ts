import { Module } from '@nestjs/common';
import { PresenceModule } from '@chatbox/server-presence';
import { AccessRepository } from './access/access.repository';
import { ConversationAccess } from './access/conversation-access.service';
import { BlockRepository } from './blocks/block.repository';
import { BlockService } from './blocks/block.service';
import { ConversationRepository } from './conversations/conversation.repository';
import { ConversationViewRepository } from './conversations/conversation-view.repository';
import { ConversationViewService } from './conversations/conversation-view.service';
import { NotifyLevelService } from './conversations/notify-level.service';
import { MembershipRepository } from './conversations/membership.repository';
import { AccountExportService } from './export/account-export.service';
import { ExportRepository } from './export/export.repository';
import { GroupDirectoryService } from './groups/group-directory.service';
import { GroupSettingsRepository } from './groups/group-settings.repository';
import { GroupSettingsService } from './groups/group-settings.service';
import { AuthorKeys } from './anonymity/author-keys';
import { MembershipEventsPublisher } from './membership/membership-events.publisher';
import { MembershipService } from './membership/membership.service';
import { MembershipNotices } from './membership/membership-notices';
import { NoticeRepository } from './membership/notice.repository';
import { TransactionRunner } from './persistence/transaction.runner';
import { GroupSearchRepository } from './search/group-search.repository';
import { MessageSearchRepository } from './search/message-search.repository';
import { MessageSearchService } from './search/message-search.service';
import { UserDirectoryService } from './search/user-directory.service';
import { UserSearchRepository } from './search/user-search.repository';
import { EphemeralActivity } from './ephemeral/ephemeral-activity';
import { EphemeralRoomDirectory } from './ephemeral/ephemeral-room.directory';
import { EphemeralRoomRepository } from './ephemeral/ephemeral-room.repository';
import { EphemeralRoomStore } from './ephemeral/ephemeral-room.store';
import { EphemeralRoomSweeper } from './ephemeral/ephemeral-room.sweeper';
import { EphemeralSearchService } from './ephemeral/ephemeral-search.service';
import { EphemeralSendContexts } from './ephemeral/ephemeral-send-contexts';
import { EphemeralViews } from './ephemeral/ephemeral-views';
import { EphemeralAuthorship } from './ephemeral/ephemeral-authorship';
import { AttachmentRepository } from './attachments/attachment.repository';
import { AttachmentPurger } from './attachments/attachment-purger';
import { EphemeralRoomFiles } from './ephemeral/ephemeral-room-files';
/** Ephemeral rooms (libs/server/chat/src/ephemeral): their Redis store and what reads it. */
const EPHEMERAL_ROOMS = [EphemeralRoomFiles, EphemeralSendContexts, EphemeralRoomStore, EphemeralRoomRepository, EphemeralRoomDirectory, EphemeralActivity, EphemeralViews, EphemeralAuthorship, EphemeralSearchService, EphemeralRoomSweeper];

/**
 * The chat domain: conversations, memberships, messages and who may do what with them.
 * The host app provides REALTIME_PUBLISHER (RealtimePublisherModule) for membership events and
 * FANOUT_SCHEDULER (JobsModule) for membership notices.
 */
@Module({
  imports: [PresenceModule],
  providers: [
    AccessRepository,
    ConversationAccess,
    TransactionRunner,
    ConversationRepository,
    MembershipRepository,
    ConversationViewRepository,
    ConversationViewService,
    NotifyLevelService,
    UserSearchRepository,
    GroupSearchRepository,
    MessageSearchRepository,
    MessageSearchService,
    UserDirectoryService,
    GroupDirectoryService,
    GroupSettingsRepository,
    GroupSettingsService,
    AuthorKeys,
    MembershipEventsPublisher,
    MembershipService,
    NoticeRepository,
    MembershipNotices,
    BlockRepository,
    BlockService,
    ExportRepository,
    AccountExportService,
    AttachmentRepository,
    AttachmentPurger,
    ...EPHEMERAL_ROOMS,
  ],
  exports: [
    AttachmentRepository,
    AttachmentPurger,
    EphemeralRoomFiles,
    EphemeralSendContexts,
    EphemeralRoomStore,
    EphemeralRoomDirectory,
    EphemeralRoomRepository,
    EphemeralActivity,
    EphemeralAuthorship,
    EphemeralRoomSweeper,
    ConversationAccess,
    TransactionRunner,
    MembershipRepository,
    ConversationViewService,
    NotifyLevelService,
    UserDirectoryService,
    MessageSearchService,
    GroupDirectoryService,
    GroupSettingsService,
    AuthorKeys,
    MembershipService,
    NoticeRepository,
    BlockService,
    AccountExportService,
  ],
})
export class ChatModule {}
