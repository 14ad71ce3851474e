import { Module } from '@nestjs/common';
import { AccountsModule } from '@chatbox/server-accounts';
import { RateLimitModule } from '@chatbox/server-ratelimit';
import { ChatModule, MessagesModule } from '@chatbox/server-chat';
import { AttachmentsController } from './attachments.controller';
import { ExportController } from './export.controller';
import { TransferBudget } from './transfer-budget';
import { TransferSlots } from './transfer-slots';
import { UploadsController } from './uploads.controller';

/**
 * The routes that move file bytes (`transfer` in the contract's route list): uploads, attachment
 * downloads and the account export, with the slots and byte budget that pace them. Part of the
 * api's whole contract, and all that the files process (apps/files) serves.
 */
@Module({
  imports: [AccountsModule, RateLimitModule, ChatModule, MessagesModule],
  controllers: [ExportController, UploadsController, AttachmentsController],
  providers: [TransferSlots, TransferBudget],
})
export class TransfersHttpModule {}
