import type { TMessage, TNotice } from '@chatbox/contracts';
import { firstGapAfter, lastSeqOf } from '@chatbox/web-util';
import { api } from './api-client';

const PAGE = 100;
const MAX_PAGES = 50; // bounds every loop: at most 5,000 messages fetched in one go

type Held = () => readonly TMessage[];
type Add = (page: TMessage[]) => void;

/** Fetches the seqs missing inside the held range (a live event skipped some). */
export async function fillGaps(conversationId: string, held: Held, add: Add): Promise<void> {
  for (let i = 0; i < MAX_PAGES; i++) {
    const gap = firstGapAfter(held());
    if (gap === null) return;
    const page = await api.history(conversationId, { after: gap, limit: PAGE });
    if (page.length === 0) return;
    add(page);
  }
}

/** Fetches everything after the newest held message (after a reconnect). */
export async function catchUp(conversationId: string, held: Held, add: Add): Promise<void> {
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await api.history(conversationId, { after: lastSeqOf(held()), limit: PAGE });
    if (page.length > 0) add(page);
    if (page.length < PAGE) return;
  }
}

/**
 * The current state of every message from `fromSeq` to `toSeq` (a window kept across a long
 * absence: its messages may have been edited, deleted or reacted to meanwhile), page by page.
 */
export async function refreshRange(conversationId: string, fromSeq: number, toSeq: number, add: Add, addNotices: (notices: readonly TNotice[]) => void): Promise<void> {
  for (let after = fromSeq - 1, i = 0; after < toSeq && i < MAX_PAGES; i++) {
    const page = await api.historyPage(conversationId, { after, limit: Math.min(PAGE, toSeq - after) });
    if (page.items.length === 0) return;
    add(page.items);
    addNotices(page.notices);
    after = lastSeqOf(page.items);
  }
}
