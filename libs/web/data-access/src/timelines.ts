import type { TMessage, TNotice } from '@chatbox/contracts';
import { lastSeqOf, mergeMessages, mergeNotices, PendingMessage } from '@chatbox/web-util';

/** One conversation's messages as this page holds them. */
export type ThreadState = {
  messages: readonly TMessage[];
  /** membership notices (joined, left, ...) placed among the messages, in stream order */
  notices: readonly TNotice[];
  /** typed here, not confirmed yet (the outbox's, shown under the messages) */
  pending: readonly PendingMessage[];
  loaded: boolean;
  loadingOlder: boolean;
  /** seqs start at 1 with no gaps, so anything above 1 held first means older pages exist */
  hasOlder: boolean;
  /**
   * A window opened on an older message (a search hit): newer messages exist that it does not
   * hold yet. They load as the reader scrolls down; live ones wait until the window reaches them.
   */
  hasNewer: boolean;
  loadingNewer: boolean;
};

export type Threads = Readonly<Record<string, ThreadState>>;

export const EMPTY_THREAD: ThreadState = { messages: [], notices: [], pending: [], loaded: false, loadingOlder: false, hasOlder: false, hasNewer: false, loadingNewer: false };
const NO_PENDING: readonly PendingMessage[] = [];

export const threadOf = (threads: Threads, id: string): ThreadState => threads[id] ?? EMPTY_THREAD;

export function patchThread(threads: Threads, id: string, patch: Partial<ThreadState>): Threads {
  return { ...threads, [id]: { ...threadOf(threads, id), ...patch } };
}

export function dropThread(threads: Threads, id: string): Threads {
  const rest = { ...threads };
  delete rest[id];
  return rest;
}

const olderExists = (messages: readonly TMessage[]) => (messages[0]?.seq ?? 1) > 1;

/**
 * Confirmed messages (ack, event, catch-up page) into a thread. A thread not loaded yet keeps
 * nothing: its first page will carry them, and holding a few newest would hide the gap.
 */
export function withConfirmed(t: ThreadState, messages: readonly TMessage[]): ThreadState {
  if (!t.loaded) return t;
  // a window short of the newest takes changes of what it holds; newer ones come with its pages
  const newestHeld = lastSeqOf(t.messages);
  const fitting = t.hasNewer ? messages.filter((m) => m.seq <= newestHeld) : messages;
  const merged = mergeMessages(t.messages, fitting);
  return merged === t.messages ? t : { ...t, messages: merged };
}

/** Notices of a loaded thread (a page's, a live one); like messages, an unloaded thread keeps none. */
export function withNotices(t: ThreadState, notices: readonly TNotice[]): ThreadState {
  if (!t.loaded) return t;
  // a window short of the newest holds the notices among its messages; later ones come with its pages
  const newestHeld = lastSeqOf(t.messages);
  const fitting = t.hasNewer ? notices.filter((n) => n.afterSeq <= newestHeld) : notices;
  const merged = mergeNotices(t.notices, fitting);
  return merged === t.notices ? t : { ...t, notices: merged };
}

/** The newest page: the thread is loaded from now on. */
export function withLatestPage(t: ThreadState, page: readonly TMessage[]): ThreadState {
  const messages = mergeMessages(t.messages, page);
  return { ...t, messages, loaded: true, hasOlder: olderExists(messages), hasNewer: false };
}

/**
 * A window around an older message (GET .../messages?around=), in place of what was held:
 * `newestSeq` is the conversation's newest seq as last known.
 */
export function withWindow(t: ThreadState, page: readonly TMessage[], newestSeq: number): ThreadState {
  const messages = mergeMessages([], page);
  // the notices held belonged to the messages replaced: the window's page brings its own
  return { ...t, messages, notices: [], loaded: true, loadingOlder: false, loadingNewer: false, hasOlder: olderExists(messages), hasNewer: lastSeqOf(messages) < newestSeq };
}

/** The page after the newest held message; a page shorter than asked for reached the newest. */
export function withNewerPage(t: ThreadState, page: readonly TMessage[], asked: number): ThreadState {
  return { ...t, messages: mergeMessages(t.messages, page), hasNewer: page.length >= asked };
}

export function withOlderPage(t: ThreadState, page: readonly TMessage[]): ThreadState {
  const messages = mergeMessages(t.messages, page);
  return { ...t, messages, hasOlder: olderExists(messages) };
}

/**
 * Hands each thread its share of the outbox (in typing order). Threads whose share did not
 * change keep their identity, so their lists do not render again.
 */
export function withPending(threads: Threads, all: readonly PendingMessage[]): Threads {
  const byConversation = new Map<string, PendingMessage[]>();
  for (const p of all) byConversation.set(p.conversationId, [...(byConversation.get(p.conversationId) ?? []), p]);
  let next = threads;
  for (const id of new Set([...Object.keys(threads), ...byConversation.keys()])) {
    const now = byConversation.get(id) ?? NO_PENDING;
    const before = threadOf(threads, id).pending;
    if (now.length === before.length && now.every((p, i) => p === before[i])) continue;
    next = patchThread(next, id, { pending: now });
  }
  return next;
}
