import { ERROR_STATUS, TMessage, TReadAck, TSendAck } from '@chatbox/contracts';
import type { PendingMessage } from '@chatbox/web-util';
import { api, ApiError } from './api-client';
import type { ChatSocket } from './socket-client';

const ACK_TIMEOUT_MS = 10_000;

/**
 * Sends over the socket (acknowledged after commit) while it is connected, else over REST.
 * Either way the clientMsgId makes a repeat harmless: the server stores the message once. A
 * message with files always goes over REST: `attachmentIds` are part of the REST send only
 * (API.md "Messages, version 2"), the socket's `message:send` does not take them.
 */
export async function sendMessage(socket: ChatSocket | null, p: PendingMessage): Promise<TMessage> {
  const attachmentIds = p.attachments?.map((a) => a.id) ?? [];
  if (!socket?.connected || attachmentIds.length > 0) return api.sendMessage(p.conversationId, p.clientMsgId, p.body, p.threadRootId, { attachmentIds, anonymous: p.anonymous });
  const ack: TSendAck = await socket
    .timeout(ACK_TIMEOUT_MS)
    .emitWithAck('message:send', { conversationId: p.conversationId, clientMsgId: p.clientMsgId, body: p.body, ...(p.threadRootId ? { threadRootId: p.threadRootId } : {}), ...(p.anonymous ? { anonymous: true } : {}) });
  if ('error' in ack) throw new ApiError(ERROR_STATUS[ack.error.code], ack.error.code, ack.error.message, ack.error.fields, ack.error.retryAfterSeconds);
  return ack.message;
}

/** "I am typing" (version 2); best effort: a lost one only shortens what others see. */
export function sendTyping(socket: ChatSocket | null, conversationId: string): void {
  if (socket?.connected) socket.emit('typing', { conversationId }, () => undefined);
}

/** Moves the read pointer; resolves false when it did not reach the server. */
export function sendRead(socket: ChatSocket | null, conversationId: string, seq: number): Promise<boolean> {
  if (!socket?.connected) return api.markRead(conversationId, seq).then(() => true, () => false);
  return new Promise((resolve) => {
    socket.timeout(ACK_TIMEOUT_MS).emit('read', { conversationId, seq }, (err: Error | null, ack?: TReadAck) => {
      resolve(!err && !!ack && !('error' in ack));
    });
  });
}
