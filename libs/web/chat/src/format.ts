import type { TConversation } from '@chatbox/contracts';
import { localDayKey } from '@chatbox/web-util';

export const timeOf = (iso: string): string =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** "Today", "Yesterday" or a date, for a local day key "yyyy-mm-dd". */
export function dayLabel(day: string, now = new Date()): string {
  if (day === localDayKey(now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (day === localDayKey(yesterday)) return 'Yesterday';
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString([], { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
}

/** The name shown for a conversation: the peer for a direct one. */
export const titleOf = (c: TConversation): string => (c.kind === 'direct' ? (c.peer?.displayName ?? c.name) : c.name);
