import { z } from 'zod';

/** BullMQ queue that fans a committed message out to its recipients' private rooms. */
export const FANOUT_QUEUE = 'fanout';

export const ZFanoutJob = z.object({ messageId: z.string() });
export type TFanoutJob = z.infer<typeof ZFanoutJob>;

/** One job per message: enqueueing twice is harmless. */
export const fanoutJobId = (messageId: string) => `msg-${messageId}`;
