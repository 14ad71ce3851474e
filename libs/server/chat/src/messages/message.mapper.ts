import type { TMessage } from '@chatbox/contracts';

/** The columns every message query selects: the message joined with its sender. */
export type MessageRow = {
  id: string;
  conversationId: string;
  seq: number;
  senderId: string;
  username: string;
  displayName: string;
  body: string;
  clientMsgId: string;
  createdAt: Date;
};

export function toMessage(row: MessageRow): TMessage {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: Number(row.seq),
    sender: { id: row.senderId, username: row.username, displayName: row.displayName },
    body: row.body,
    clientMsgId: row.clientMsgId,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
