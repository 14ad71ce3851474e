import type { TMessage, TNotice, TUserRef } from '@chatbox/contracts';

/** "Bob", "Bob and Carol", "Bob, Carol and Dan", "Bob, Carol and 3 others". */
function names(users: readonly TUserRef[], max = 3): string {
  const shown = users.slice(0, users.length > max ? max - 1 : max).map((u) => u.displayName);
  const rest = users.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} others`;
  return shown.length <= 1 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

/** What a membership notice says, as a line of the conversation. */
export function noticeText(notice: TNotice): string {
  const actor = notice.actor.displayName;
  switch (notice.kind) {
    case 'created':
      return notice.users.length ? `${actor} created the group with ${names(notice.users)}` : `${actor} created the group`;
    case 'joined':
      return `${actor} joined`;
    case 'left':
      return `${actor} left`;
    case 'added':
      return `${actor} added ${names(notice.users)}`;
    case 'removed':
      return `${actor} removed ${names(notice.users)}`;
    case 'owner':
      return `Ownership passed from ${actor} to ${names(notice.users)}`;
  }
}

/**
 * Where notices go among messages (ascending by seq): each before the first message after the
 * seq it follows, in stream order; those after the newest message at the end.
 */
export function placeNotices(messages: readonly TMessage[], notices: readonly TNotice[]): { before: Map<string, TNotice[]>; after: TNotice[] } {
  const before = new Map<string, TNotice[]>();
  const rest = [...notices].sort((a, b) => a.eventSeq - b.eventSeq);
  let i = 0;
  for (const m of messages) {
    const here: TNotice[] = [];
    while (i < rest.length && rest[i].afterSeq < m.seq) here.push(rest[i++]);
    if (here.length) before.set(m.id, here);
  }
  return { before, after: rest.slice(i) };
}

/** Notices merged by id (a page and an event may bring the same one), in stream order. */
export function mergeNotices(held: readonly TNotice[], incoming: readonly TNotice[]): readonly TNotice[] {
  const fresh = incoming.filter((n) => !held.some((h) => h.id === n.id));
  if (fresh.length === 0) return held;
  return [...held, ...fresh].sort((a, b) => a.eventSeq - b.eventSeq);
}
