import type { TAttachment, TMessage } from '@chatbox/contracts';

/**
 * Adds incoming messages to a seq-ordered list: one entry per id, ascending seq. A message held
 * already is replaced by a state with a higher eventSeq (edited, deleted, reacted to, replied
 * to: API.md "Changes"), and kept against an older or equal one. Returns the same array when
 * nothing changed, so renders can be skipped by identity.
 */
export function mergeMessages(current: readonly TMessage[], incoming: readonly TMessage[]): readonly TMessage[] {
  if (incoming.length === 0) return current;
  current = withNewerStates(current, incoming);
  const ids = new Set(current.map((m) => m.id));
  const seqs = new Set(current.map((m) => m.seq));
  const fresh: TMessage[] = [];
  for (const m of incoming) {
    // seq is unique per conversation, so a known seq is the same message even if the id differs in form
    if (ids.has(m.id) || seqs.has(m.seq)) continue;
    ids.add(m.id);
    seqs.add(m.seq);
    fresh.push(m);
  }
  if (fresh.length === 0) return current;
  return [...current, ...fresh].sort((a, b) => a.seq - b.seq);
}

/** Held messages replaced by the incoming states that are newer (higher eventSeq); same array when none is. */
function withNewerStates(current: readonly TMessage[], incoming: readonly TMessage[]): readonly TMessage[] {
  const newest = new Map<string, TMessage>();
  for (const m of incoming) if (m.eventSeq > (newest.get(m.id)?.eventSeq ?? -1)) newest.set(m.id, m);
  let changed = false;
  const next = current.map((m) => {
    const n = newest.get(m.id);
    if (!n || n.eventSeq <= m.eventSeq) return m;
    changed = true;
    return n;
  });
  return changed ? next : current;
}

/**
 * The seq after which the list has a hole (held 4, 5, then 8: answers 5), or null when the list
 * is contiguous. The caller fetches `after=` that seq to fill it.
 */
export function firstGapAfter(messages: readonly TMessage[]): number | null {
  for (let i = 1; i < messages.length; i++) {
    if (messages[i].seq > messages[i - 1].seq + 1) return messages[i - 1].seq;
  }
  return null;
}

/** Highest seq held, or 0 when nothing is. */
export const lastSeqOf = (messages: readonly TMessage[]): number => messages.at(-1)?.seq ?? 0;

export type PendingStatus = 'sending' | 'failed';

/** A message typed here that the server has not confirmed yet. */
export type PendingMessage = {
  clientMsgId: string;
  conversationId: string;
  body: string;
  /** A reply in this thread (version 2); shown in the thread panel, not the main timeline. */
  threadRootId?: string;
  /** Sent without the sender's name (version 2, a group with anonymousQuestions). */
  anonymous?: boolean;
  createdAt: string;
  status: PendingStatus;
  error?: string;
  /** Files uploaded for it (version 2): sent as its attachmentIds and shown while it waits. */
  attachments?: TAttachment[];
};
