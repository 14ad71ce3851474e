import type { TMessage } from '@chatbox/contracts';
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
