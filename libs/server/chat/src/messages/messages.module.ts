import { Module } from '@nestjs/common';
import { ChatModule } from '../chat.module';
import { MessageRepository } from './message.repository';
import { MessageService } from './message.service';
import { MessageFanoutService } from './message-fanout.service';
import { MemberListCache } from './member-list.cache';
import { SendBatcher } from './send-batcher';
import { ChangeBatcher } from './change-batcher';
import { AfterCommit } from './after-commit';
import { MessageChangeRepository } from './message-change.repository';
import { MessageChangeService } from './message-change.service';
import { ReceiptRepository } from '../signals/receipt.repository';
import { ReceiptService } from '../signals/receipt.service';
import { TypingService } from '../signals/typing.service';
import { AttachmentUploadService } from '../attachments/attachment-upload.service';
import { AttachmentReadService } from '../attachments/attachment-read.service';
import { EphemeralMessageService } from '../ephemeral/ephemeral-message.service';

/**
 * Sending, history, read pointers and attachments. Needs FANOUT_SCHEDULER, REALTIME_PUBLISHER
 * and FILE_STORE from global modules (libs/server/jobs, libs/server/realtime, libs/server/storage).
 */
@Module({
  imports: [ChatModule],
  providers: [
    MessageRepository,
    MessageChangeRepository,
    AfterCommit,
    SendBatcher,
    ChangeBatcher,
    MessageService,
    MessageChangeService,
    MessageFanoutService,
    MemberListCache,
    ReceiptRepository,
    ReceiptService,
    TypingService,
    AttachmentUploadService,
    AttachmentReadService,
    EphemeralMessageService,
  ],
  exports: [
    MessageService,
    MessageChangeService,
    MessageRepository,
    MessageFanoutService,
    ReceiptService,
    TypingService,
    AttachmentUploadService,
    AttachmentReadService,
    // AttachmentPurger (the cleanup job's) and what else ChatModule exports
    ChatModule,
  ],
})
export class MessagesModule {}
