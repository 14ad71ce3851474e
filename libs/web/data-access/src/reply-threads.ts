import type { TMessage } from '@chatbox/contracts';
import { mergeMessages } from '@chatbox/web-util';

/**
 * The thread panel: which root is open, the root itself (its newest state seen: the timeline may
 * not hold it when it is older than the loaded pages) and the replies fetched for it
 * (`?thread=rootId`).
 */
export type ReplyThread = { conversationId: string; rootId: string; root: TMessage | null; replies: readonly TMessage[]; loaded: boolean };

export const openThread = (conversationId: string, rootId: string, root: TMessage | null = null): ReplyThread => ({ conversationId, rootId, root, replies: [], loaded: false });

/** A page of replies, or live messages (the open thread's root and replies are kept; newer states win). */
export function withReplies(t: ReplyThread | null, messages: readonly TMessage[], loaded = t?.loaded ?? false): ReplyThread | null {
  if (!t) return t;
  const ours = messages.filter((m) => m.conversationId === t.conversationId);
  const replies = mergeMessages(t.replies, ours.filter((m) => m.threadRootId === t.rootId));
  const root = ours.filter((m) => m.id === t.rootId).reduce((held, m) => (!held || m.eventSeq > held.eventSeq ? m : held), t.root);
  return replies === t.replies && loaded === t.loaded && root === t.root ? t : { ...t, root, replies, loaded };
}

/** Where a thread is, to open it again (after a reload): the root's seq finds it with `around=`. */
export type ThreadPlace = { conversationId: string; rootId: string; rootSeq: number };

/** A conversation's timeline without replies: they live in their thread; the root shows their count. */
export const topLevel = (messages: readonly TMessage[]): TMessage[] => messages.filter((m) => m.threadRootId === null);
