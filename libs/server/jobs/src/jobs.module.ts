import { Global, Module } from '@nestjs/common';
import { FANOUT_SCHEDULER, MessagesModule } from '@chatbox/server-chat';
import { ApiFanout } from './api-fanout';
import { FanoutQueue } from './fanout.queue';
import { FanoutProcessor } from './fanout.processor';
import { OutboxRelay } from './outbox.relay';
import { OutboxRepository } from './outbox.repository';
import { QueueRegistry } from './queue.registry';
import { AttachmentCleanup } from './attachment-cleanup';

/** The producer side, for the api: the domain's FanoutScheduler (delivery in the api, BullMQ for the rest). */
@Global()
@Module({
  providers: [OutboxRepository, FanoutQueue, ApiFanout, { provide: FANOUT_SCHEDULER, useExisting: ApiFanout }],
  exports: [FANOUT_SCHEDULER, FanoutQueue, OutboxRepository],
})
export class JobsProducerModule {}

/** The worker side: processors, the outbox relay and the scheduled attachment cleanup. */
@Module({
  imports: [JobsProducerModule, MessagesModule],
  providers: [QueueRegistry, FanoutProcessor, OutboxRelay, AttachmentCleanup],
})
export class JobsWorkerModule {}
