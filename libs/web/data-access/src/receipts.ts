import type { TMessage, TReceipt } from '@chatbox/contracts';

/** Per conversation: each member's read pointer as shared with us (userId -> readSeq). */
export type Receipts = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** A fetched list replaces what was known; a live `receipt` only ever moves a pointer forward. */
export function withReceiptList(all: Receipts, conversationId: string, items: readonly TReceipt[]): Receipts {
  const mine: Record<string, number> = { ...all[conversationId] };
  for (const r of items) mine[r.userId] = Math.max(mine[r.userId] ?? 0, r.readSeq);
  return { ...all, [conversationId]: mine };
}

export function withReceipt(all: Receipts, conversationId: string, userId: string, readSeq: number): Receipts {
  if ((all[conversationId]?.[userId] ?? 0) >= readSeq) return all;
  return { ...all, [conversationId]: { ...all[conversationId], [userId]: readSeq } };
}

/** A member who left or was removed: their pointer no longer says anything here. */
export function withoutReader(all: Receipts, conversationId: string, userId: string): Receipts {
  if (all[conversationId]?.[userId] === undefined) return all;
  const mine = { ...all[conversationId] };
  delete mine[userId];
  return { ...all, [conversationId]: mine };
}

/**
 * "Seen by": the newest shown message that someone else has read, and who has read it (their
 * pointer at or past it), newest pointer first. Null when no one else has read anything shown.
 */
export function seenBy(messages: readonly TMessage[], pointers: Readonly<Record<string, number>> | undefined, selfId: string): { messageId: string; userIds: string[] } | null {
  const others = Object.entries(pointers ?? {}).filter(([id]) => id !== selfId);
  if (others.length === 0) return null;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    const readers = others.filter(([id, seq]) => seq >= m.seq && id !== m.sender.id).sort((a, b) => b[1] - a[1]);
    if (readers.length > 0) return { messageId: m.id, userIds: readers.map(([id]) => id) };
  }
  return null;
}

/** "Alice, Bob +3": the first `shown` names, then how many more. */
export function namesLine(names: readonly string[], shown = 2): string {
  const head = names.slice(0, shown).join(', ');
  return names.length > shown ? `${head} +${names.length - shown}` : head;
}
