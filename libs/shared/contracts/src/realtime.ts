import { z } from 'zod';
import { ZId } from './common';
import { ZConversation } from './conversations';
import { ZClientMsgId, ZMessageBodyText, TMessage } from './messages';
import type { TErrorBody } from './errors';

/** The private Socket.IO room of one user; the only room a socket ever joins. */
export const userRoom = (userId: string) => `user:${userId}`;

export const ZConversationEvent = z.object({
  change: z.enum(['added', 'updated', 'removed']),
  conversation: ZConversation,
});
export type TConversationEvent = z.infer<typeof ZConversationEvent>;

export const ZPresenceEvent = z.object({ userId: z.string(), online: z.boolean() });
export type TPresenceEvent = z.infer<typeof ZPresenceEvent>;

export const ZReadEvent = z.object({ conversationId: z.string(), readSeq: z.number().int() });
export type TReadEvent = z.infer<typeof ZReadEvent>;

/** Server -> client events. */
export interface ServerToClientEvents {
  message: (message: TMessage) => void;
  conversation: (event: TConversationEvent) => void;
  presence: (event: TPresenceEvent) => void;
  read: (event: TReadEvent) => void;
}

export const ZSocketSendPayload = z.object({
  conversationId: ZId,
  clientMsgId: ZClientMsgId,
  body: ZMessageBodyText,
});
export type TSocketSendPayload = z.infer<typeof ZSocketSendPayload>;

export const ZSocketReadPayload = z.object({
  conversationId: ZId,
  seq: z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be at least 0'),
});
export type TSocketReadPayload = z.infer<typeof ZSocketReadPayload>;

export type TSendAck = { message: TMessage } | TErrorBody;
export type TReadAck = { ok: true } | TErrorBody;

/** Client -> server events; each takes an acknowledgement callback. */
export interface ClientToServerEvents {
  'message:send': (payload: TSocketSendPayload, ack: (answer: TSendAck) => void) => void;
  read: (payload: TSocketReadPayload, ack: (answer: TReadAck) => void) => void;
}

