import { TYPING_RELAY_MS } from '@chatbox/contracts';

/** Per conversation: who is typing, until when (epoch ms). */
export type Typing = Readonly<Record<string, Readonly<Record<string, number>>>>;

export function withTyping(all: Typing, conversationId: string, userId: string, until: number): Typing {
  return { ...all, [conversationId]: { ...all[conversationId], [userId]: until } };
}

/** Their message arrived: they are no longer typing it. */
export function withoutTyping(all: Typing, conversationId: string, userId: string): Typing {
  if (all[conversationId]?.[userId] === undefined) return all;
  const rest = { ...all[conversationId] };
  delete rest[userId];
  return { ...all, [conversationId]: rest };
}

/** Who is typing at `now`, in the order they started. */
export const typingNow = (all: Typing, conversationId: string, now: number): string[] =>
  Object.entries(all[conversationId] ?? {})
    .filter(([, until]) => until > now)
    .map(([id]) => id);

/** "Alice is typing…", "Alice and Bob are typing…", "Several people are typing…". */
export function typingLine(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}

/**
 * Sends "typing" at most once every TYPING_RELAY_MS per conversation (the server relays no more
 * often: more would be traffic for nothing).
 */
export class TypingSender {
  private readonly last = new Map<string, number>();
  constructor(
    private readonly emit: (conversationId: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  typed(conversationId: string): void {
    const t = this.now();
    if (t - (this.last.get(conversationId) ?? -Infinity) < TYPING_RELAY_MS) return;
    this.last.set(conversationId, t);
    this.emit(conversationId);
  }

  /** Sent: the next keystroke announces typing again at once. */
  sent(conversationId: string): void {
    this.last.delete(conversationId);
  }
}
