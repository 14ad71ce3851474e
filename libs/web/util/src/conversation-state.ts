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
  return {
    ...conv,
    lastSeq,
    readSeq,
    unread: unreadOf(lastSeq, readSeq),
    lastMessage: isNewest ? msg : conv.lastMessage,
  };
}

/** readSeq only moves forward. */
export function applyRead(conv: TConversation, readSeq: number): TConversation {
  if (readSeq <= conv.readSeq) return conv;
  return { ...conv, readSeq, unread: unreadOf(conv.lastSeq, readSeq) };
}

/** Most recent activity first; conversations without messages keep their relative order, last. */
export function sortByActivity(list: readonly TConversation[]): TConversation[] {
  const at = (c: TConversation) => (c.lastMessage ? Date.parse(c.lastMessage.createdAt) : -Infinity);
  return list
    .map((c, i) => ({ c, i }))
    .sort((a, b) => at(b.c) - at(a.c) || a.i - b.i)
    .map(({ c }) => c);
}
