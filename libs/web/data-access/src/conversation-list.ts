import type { TConversation, TMessage } from '@chatbox/contracts';
import { applyIncoming, applyRead, sortByActivity, unreadOf } from '@chatbox/web-util';

/**
 * The sidebar's conversations, as pure steps. Answers and events about one conversation can
 * arrive in any order (a list asked for before a read answers after it), so the counters in
 * them never move back: lastSeq and readSeq only grow, the newest lastMessage wins.
 */
export type ConversationList = readonly TConversation[];

/** `fresh` (an answer or event) over what was known of the same conversation. */
export function converge(known: TConversation | undefined, fresh: TConversation): TConversation {
  if (!known) return fresh;
  const lastSeq = Math.max(known.lastSeq, fresh.lastSeq);
  const readSeq = Math.max(known.readSeq, fresh.readSeq);
  const lastMessage = (fresh.lastMessage?.seq ?? 0) >= (known.lastMessage?.seq ?? 0) ? fresh.lastMessage : known.lastMessage;
  return { ...fresh, lastSeq, readSeq, unread: unreadOf(lastSeq, readSeq), mentions: readSeq >= lastSeq ? 0 : fresh.mentions, lastMessage };
}

/** A conversation learned from an answer (created, opened, joined) or an event. */
export function upsert(list: ConversationList, conv: TConversation): TConversation[] {
  const known = list.find((c) => c.id === conv.id);
  return sortByActivity([converge(known, conv), ...list.filter((c) => c.id !== conv.id)]);
}

export function remove(list: ConversationList, id: string): TConversation[] {
  return list.filter((c) => c.id !== id);
}

/** The server's list: it says which conversations the user is in; the counters converge. */
export function mergeServerList(list: ConversationList, server: readonly TConversation[]): TConversation[] {
  const known = new Map(list.map((c) => [c.id, c]));
  return sortByActivity(server.map((c) => converge(known.get(c.id), c)));
}

/** Confirmed messages of one conversation: counters, unread, lastMessage. */
export function withMessages(list: ConversationList, conversationId: string, messages: readonly TMessage[], opts: { selfId: string; viewing: boolean }): TConversation[] {
  return sortByActivity(list.map((c) => (c.id === conversationId ? messages.reduce((acc, m) => applyIncoming(acc, m, opts), c) : c)));
}

/** The read pointer moved (here, in another tab, or known from the server). */
export function withRead(list: ConversationList, conversationId: string, readSeq: number): TConversation[] | ConversationList {
  const i = list.findIndex((c) => c.id === conversationId);
  if (i < 0) return list;
  const c = list[i];
  const moved = applyRead({ ...c, lastSeq: Math.max(c.lastSeq, readSeq) }, readSeq);
  if (moved.readSeq === c.readSeq) return list;
  return list.map((x, j) => (j === i ? moved : x));
}

/** Someone registered (the `user` event): every newcomer is a member of `all`. */
export function withNewcomer(list: ConversationList): TConversation[] | ConversationList {
  const i = list.findIndex((c) => c.kind === 'all');
  if (i < 0) return list;
  return list.map((c, j) => (j === i ? { ...c, memberCount: c.memberCount + 1 } : c));
}
