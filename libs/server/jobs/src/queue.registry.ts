import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ATTACHMENT_CLEANUP_QUEUE, FANOUT_QUEUE } from '@chatbox/contracts';

/** Every queue ChatBox enqueues to; the worker must run a processor for each. */
export const QUEUES: readonly string[] = [FANOUT_QUEUE, ATTACHMENT_CLEANUP_QUEUE];

/** Fails the worker's boot when a queue has no processor, instead of letting jobs pile up. */
@Injectable()
export class QueueRegistry implements OnApplicationBootstrap {
  private readonly processed = new Set<string>();

  register(queue: string): void {
    this.processed.add(queue);
  }

  onApplicationBootstrap(): void {
    const missing = QUEUES.filter((q) => !this.processed.has(q));
    if (missing.length) throw new Error(`no processor for queue(s): ${missing.join(', ')}`);
  }
}
