import type { TConversation } from './conversations';
import type { TMessage } from './messages';
import type { TUserRef } from './users';

/**
 * Test fixtures (`@chatbox/contracts/testing`, for specs only; not exported from the contract's
 * index). Every shape carries every field (API.md "Shapes, version 2"), so a spec names only what
 * its test is about and takes neutral values for the rest from here: a field added to a shape is
 * then added once, in this file, instead of in every spec's hand-written literal.
 */

/** A sender whose username and display name are its id, unless told otherwise. */
export const person = (id: string, displayName = id): TUserRef => ({ id, username: id, displayName });

/** A plain, current message: nothing edited, deleted, replied to, reacted to, mentioned or attached. */
export function aMessage(fields: Partial<TMessage> & Pick<TMessage, 'id' | 'seq'>): TMessage {
  return {
    conversationId: 'c',
    sender: person('u'),
    body: `b${fields.seq}`,
    clientMsgId: `c${fields.seq}`,
    createdAt: '2026-01-01T00:00:00.000Z',
    eventSeq: fields.seq,
    editedAt: null,
    deletedAt: null,
    threadRootId: null,
    replyCount: 0,
    lastReplyAt: null,
    reactions: [],
    mentions: { userIds: [], everyone: false },
    attachments: [],
    anonymous: false,
    ...fields,
  };
}

/** A private group the caller is a member of, its unread count and lastEventSeq following its seqs. */
export function aConversation(fields: Partial<TConversation> & Pick<TConversation, 'id'>): TConversation {
  const lastSeq = fields.lastSeq ?? 0;
  const readSeq = fields.readSeq ?? 0;
  return {
    kind: 'group',
    name: fields.id,
    visibility: 'private',
    role: 'member',
    lastSeq,
    readSeq,
    unread: lastSeq - readSeq,
    lastMessage: null,
    memberCount: 2,
    lastEventSeq: lastSeq,
    mentions: 0,
    notify: 'all',
    description: '',
    ephemeral: false,
    anonymousQuestions: false,
    ...fields,
  };
}
