import type { TMessage } from '@chatbox/contracts';

/** One rendered row: a day separator before it when the day changes, a header when a new group starts. */
export type MessageRow = { message: TMessage; day: string | null; startsGroup: boolean };

/** Consecutive messages of one sender within this window share one header (sender + time). */
export const GROUP_WINDOW_MS = 5 * 60_000;

/** Local calendar day, e.g. "2026-11-21". */
export const localDayKey = (d: Date): string =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export function layoutMessages(
  messages: readonly TMessage[],
  dayKey: (d: Date) => string = localDayKey,
  windowMs = GROUP_WINDOW_MS,
): MessageRow[] {
  const rows: MessageRow[] = [];
  let prev: TMessage | undefined;
  let prevDay: string | undefined;
  for (const message of messages) {
    const at = new Date(message.createdAt);
    const day = dayKey(at);
    const newDay = day !== prevDay;
    const startsGroup =
      newDay ||
      !prev ||
      prev.sender.id !== message.sender.id ||
      // two anonymous questions in a row need not be one person's: each shows on its own
      message.anonymous ||
      at.getTime() - new Date(prev.createdAt).getTime() > windowMs;
    rows.push({ message, day: newDay ? day : null, startsGroup });
    prev = message;
    prevDay = day;
  }
  return rows;
}
