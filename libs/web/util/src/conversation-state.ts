import type { TConversation, TMessage } from '@chatbox/contracts';

/** unread is lastSeq - readSeq (API.md), never negative. */
export const unreadOf = (lastSeq: number, readSeq: number): number => Math.max(0, lastSeq - readSeq);

/**
 * A conversation after one of its messages arrived live. Own messages and messages in the
 * conversation being looked at count as read, so they never raise the badge.
 */
export function applyIncoming(conv: TConversation, msg: TMessage, opts: { selfId: string; viewing: boolean }): TConversation {
  const lastSeq = Math.max(conv.lastSeq, msg.seq);
  const isNewest = msg.seq >= conv.lastSeq;
  const readSeq = opts.viewing || msg.sender.id === opts.selfId ? Math.max(conv.readSeq, msg.seq) : conv.readSeq;
  // a new unread message that mentions me raises the mention badge (an update of a known one does not)
  const newMention = msg.seq > conv.lastSeq && msg.seq > readSeq && mentionsMe(msg, opts.selfId);
  return {
    ...conv,
    lastSeq,
    readSeq,
    unread: unreadOf(lastSeq, readSeq),
    mentions: readSeq >= lastSeq ? 0 : conv.mentions + (newMention ? 1 : 0),
    lastMessage: isNewest ? msg : conv.lastMessage,
  };
}

/** The message mentions this user or everyone, and is not their own. */
export const mentionsMe = (msg: TMessage, selfId: string): boolean =>
  msg.sender.id !== selfId && msg.deletedAt === null && (msg.mentions.everyone || msg.mentions.userIds.includes(selfId));

/**
 * readSeq only moves forward. All read: no mentions left; read part of the way, the count the
 * server last gave stays until it answers again (it alone knows which unread messages mention me).
 */
export function applyRead(conv: TConversation, readSeq: number): TConversation {
  if (readSeq <= conv.readSeq) return conv;
  return { ...conv, readSeq, unread: unreadOf(conv.lastSeq, readSeq), mentions: readSeq >= conv.lastSeq ? 0 : conv.mentions };
}

/** Most recent activity first; conversations without messages keep their relative order, last. */
export function sortByActivity(list: readonly TConversation[]): TConversation[] {
  const at = (c: TConversation) => (c.lastMessage ? Date.parse(c.lastMessage.createdAt) : -Infinity);
  return list
    .map((c, i) => ({ c, i }))
    .sort((a, b) => at(b.c) - at(a.c) || a.i - b.i)
    .map(({ c }) => c);
}
