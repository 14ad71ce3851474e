import type { TMessage } from '@chatbox/contracts';
import { mergeMessages } from '@chatbox/web-util';

/** The thread panel: which root is open, and the replies fetched for it (`?thread=rootId`). */
export type ReplyThread = { conversationId: string; rootId: string; replies: readonly TMessage[]; loaded: boolean };

export const openThread = (conversationId: string, rootId: string): ReplyThread => ({ conversationId, rootId, replies: [], loaded: false });

/** A page of replies, or live messages (only the open thread's replies are kept; newer states win). */
export function withReplies(t: ReplyThread | null, messages: readonly TMessage[], loaded = t?.loaded ?? false): ReplyThread | null {
  if (!t) return t;
  const mine = messages.filter((m) => m.threadRootId === t.rootId && m.conversationId === t.conversationId);
  const replies = mergeMessages(t.replies, mine);
  return replies === t.replies && loaded === t.loaded ? t : { ...t, replies, loaded };
}

/** A conversation's timeline without replies: they live in their thread; the root shows their count. */
export const topLevel = (messages: readonly TMessage[]): TMessage[] => messages.filter((m) => m.threadRootId === null);
