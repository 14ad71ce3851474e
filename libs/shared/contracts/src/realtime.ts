import { z } from 'zod';
import { ZId, ZSeq } from './common';
import { ZConversation } from './conversations';
import { ZUser } from './users';
import { requireTextOrFiles, SEND_MESSAGE_FIELDS, ZMessage, TMessage } from './messages';
import type { TErrorBody } from './errors';
import type { TNotice } from './notices';

/** The private Socket.IO room of one user: every socket of that user, whatever it understands. */
export const userRoom = (userId: string) => `user:${userId}`;

/**
 * What a client may name in the handshake, `auth: {token, features: [...]}` (API.md "Socket
 * capabilities"). A socket gets an event outside version 1 only when it named the feature that
 * brings it; unknown names are ignored.
 *
 * - `batch`: the socket may receive `messages` (several messages of one conversation in one
 *   frame) and `presence:batch` (several presence changes in one frame). Every other socket gets
 *   each message as its own `message` and each change as its own `presence`, as version 1 says.
 * - `batch-updates`: the socket may receive `messages:updated` (several consecutive changes of one
 *   conversation in one frame, see ZMessagesUpdatedEvent). Every other socket gets each change as
 *   its own `message:updated`. Separate from `batch`: a client that named `batch` before this
 *   event existed would not know it.
 */
export const SOCKET_FEATURES = { batch: 'batch', batchUpdates: 'batch-updates' } as const;
export type TSocketFeature = (typeof SOCKET_FEATURES)[keyof typeof SOCKET_FEATURES];

/** The handshake's `auth`: the token (or the cookie) and the features the client understands. */
export type TSocketAuth = { token?: string; features?: string[] };

export const ZConversationEvent = z.object({
  change: z.enum(['added', 'updated', 'removed']),
  conversation: ZConversation,
});
export type TConversationEvent = z.infer<typeof ZConversationEvent>;

export const ZPresenceEvent = z.object({ userId: z.string(), online: z.boolean() });
export type TPresenceEvent = z.infer<typeof ZPresenceEvent>;

/**
 * Several presence changes at once: what a burst of connects or disconnects (a restart, a network
 * blip) becomes, instead of one `presence` event per user to every socket. A client applies it
 * like the same changes as `presence` events. Only to sockets that named the `batch` feature;
 * the others get one `presence` per change. (Extension of API.md; a lone change is always sent
 * as `presence`.)
 */
export const ZPresenceBatchEvent = z.object({ online: z.array(z.string()), offline: z.array(z.string()) });
export type TPresenceBatchEvent = z.infer<typeof ZPresenceBatchEvent>;

/**
 * Several consecutive messages of one conversation, ascending by seq: what a busy conversation's
 * deliveries become (one frame per member instead of one per message). A client applies them
 * like the same messages as `message` events, in order. Only to sockets that named the `batch`
 * feature; the others get each message as its own `message`. (API.md "Socket capabilities"; a
 * message delivered alone is always sent as `message`.)
 */
export const ZMessagesEvent = z.object({ conversationId: z.string(), messages: z.array(ZMessage) });
export type TMessagesEvent = z.infer<typeof ZMessagesEvent>;

/**
 * `message:updated` (version 2): a message changed (edited, deleted, reacted to, replied to), with
 * the full current Message. Every member's sockets get it, in eventSeq order with the `message`
 * events of new messages. A client keeps the state with the higher eventSeq.
 *
 * Order: a member's events of one conversation only rise in eventSeq (a repeat of one already
 * received is possible after a worker failed; drop it). They may skip: when the server sends a
 * stretch of changes from storage, each message comes once in its current state, so a change
 * superseded by a later one of the same message never comes on its own. A client that sees a gap
 * (an eventSeq above the next it expects) asks `GET .../changes?after=` its last contiguous
 * eventSeq, as it does after a reconnect.
 */
export const ZMessageUpdatedEvent = ZMessage;

/**
 * `messages:updated` (extension of API.md version 2): several consecutive changes of one
 * conversation, ascending by eventSeq, each the full current Message as `message:updated` would
 * carry it (a message changed twice in the run comes twice, in order). A client applies them like
 * the same `message:updated` events, in order; the ordering rules above hold for each. What a
 * busy conversation's changes become (one frame per member instead of one per change). Only to
 * sockets that named the `batch-updates` feature; the others get each change as its own
 * `message:updated`. A change delivered alone is always sent as `message:updated`.
 */
export const ZMessagesUpdatedEvent = z.object({ conversationId: z.string(), messages: z.array(ZMessage) });
export type TMessagesUpdatedEvent = z.infer<typeof ZMessagesUpdatedEvent>;

/**
 * `notice` (issue 14): a membership change of a group (see ZNotice), to the members after it, in
 * eventSeq order with the `message` and `message:updated` events of the conversation (a notice is
 * a change of the stream, like them). A client that does not listen for it sees a skip in
 * eventSeq there, as the rule above allows, and `changes?after=` fills it with nothing it
 * needs; a version 1 client ignores it.
 */
export type TNoticeEvent = TNotice;

/**
 * `receipt` (version 2): a member's read pointer moved, to every member of the conversation; at
 * most one per member and conversation a second (the latest pointer), none for a member who
 * does not share receipts.
 */
export const ZReceiptEvent = z.object({ conversationId: z.string(), userId: z.string(), readSeq: z.number().int() });
export type TReceiptEvent = z.infer<typeof ZReceiptEvent>;
export const RECEIPT_INTERVAL_MS = 1_000;

/**
 * `typing` (version 2): a member is typing, to the other members; show it until `until` (an ISO
 * time about TYPING_SHOWN_MS ahead) or that member's next message. Relayed at most once every
 * TYPING_RELAY_MS per member and conversation; never stored or queued.
 */
export const ZTypingEvent = z.object({ conversationId: z.string(), userId: z.string(), until: z.string() });
export type TTypingEvent = z.infer<typeof ZTypingEvent>;
export const TYPING_RELAY_MS = 2_000;
export const TYPING_SHOWN_MS = 5_000;

/**
 * `user` (extension of API.md version 2, the "live new-user list"): someone registered, to every
 * connected socket, so people lists grow without a reload. Additive: a client that does not
 * listen for it misses nothing it knew. Only "added" for now.
 */
export const ZUserEvent = z.object({ change: z.literal('added'), user: ZUser });
export type TUserEvent = z.infer<typeof ZUserEvent>;

export const ZReadEvent = z.object({ conversationId: z.string(), readSeq: z.number().int() });
export type TReadEvent = z.infer<typeof ZReadEvent>;

/** Server -> client events. */
export interface ServerToClientEvents {
  message: (message: TMessage) => void;
  messages: (event: TMessagesEvent) => void;
  'message:updated': (message: TMessage) => void;
  'messages:updated': (event: TMessagesUpdatedEvent) => void;
  notice: (notice: TNoticeEvent) => void;
  conversation: (event: TConversationEvent) => void;
  presence: (event: TPresenceEvent) => void;
  'presence:batch': (event: TPresenceBatchEvent) => void;
  read: (event: TReadEvent) => void;
  receipt: (event: TReceiptEvent) => void;
  typing: (event: TTypingEvent) => void;
  user: (event: TUserEvent) => void;
  /** Issue 18: to the author's own sockets only, once an anonymous message of theirs is stored. */
  'message:yours': (event: TMessageYoursEvent) => void;
}

/** Which anonymous message the receiving user wrote (their other browsers may then edit and delete it). */
export const ZMessageYoursEvent = z.object({ conversationId: z.string(), messageId: z.string(), clientMsgId: z.string() });
export type TMessageYoursEvent = z.infer<typeof ZMessageYoursEvent>;

/** `message:send`: the fields of a REST send (issue 17: `attachmentIds` too, same rules and errors). */
export const ZSocketSendPayload = z.object({ conversationId: ZId, ...SEND_MESSAGE_FIELDS }).superRefine(requireTextOrFiles);
export type TSocketSendPayload = z.infer<typeof ZSocketSendPayload>;

export const ZSocketReadPayload = z.object({
  conversationId: ZId,
  seq: ZSeq,
});
export type TSocketReadPayload = z.infer<typeof ZSocketReadPayload>;

export const ZSocketTypingPayload = z.object({ conversationId: ZId });
export type TSocketTypingPayload = z.infer<typeof ZSocketTypingPayload>;

export type TSendAck = { message: TMessage } | TErrorBody;
export type TReadAck = { ok: true } | TErrorBody;
export type TTypingAck = { ok: true } | TErrorBody;

/** Client -> server events; each takes an acknowledgement callback. */
export interface ClientToServerEvents {
  'message:send': (payload: TSocketSendPayload, ack: (answer: TSendAck) => void) => void;
  read: (payload: TSocketReadPayload, ack: (answer: TReadAck) => void) => void;
  /** Version 2: "I am typing" in a conversation; relayed to the other members (see TTypingEvent). */
  typing: (payload: TSocketTypingPayload, ack: (answer: TTypingAck) => void) => void;
}

