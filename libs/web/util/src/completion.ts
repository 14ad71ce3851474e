import emojiDefs from 'markdown-it-emoji/lib/data/full.mjs';

/** The word being typed at the caret when it asks for completion: `@name` or `:shortcode`. */
export type CompletionQuery = { trigger: '@' | ':'; query: string; start: number; end: number };

export type EmojiChoice = { code: string; emoji: string };

/**
 * `@` (a mention) or `:` and two characters (an emoji shortcode: ":)" and "10:30" stay quiet),
 * at the start of the text or after a space or an opening bracket, up to the caret.
 */
export function completionAt(text: string, caret: number): CompletionQuery | null {
  const match = /(?:^|[\s([{])([@:])([a-zA-Z0-9_.+-]*)$/.exec(text.slice(0, caret));
  if (!match) return null;
  const trigger = match[1] as '@' | ':';
  const query = match[2];
  if (trigger === ':' && query.length < 2) return null;
  return { trigger, query, start: caret - query.length - 1, end: caret };
}

/** The text with the query replaced by the choice and a space, and where the caret goes. */
export function applyCompletion(text: string, at: CompletionQuery, insert: string): { text: string; caret: number } {
  const after = text.slice(at.end);
  const glue = after.startsWith(' ') ? '' : ' ';
  return { text: `${text.slice(0, at.start)}${insert}${glue}${after}`, caret: at.start + insert.length + 1 };
}

const EMOJI = Object.entries(emojiDefs).map(([code, emoji]) => ({ code, emoji }));

/** Shortcodes starting with the query first, then those containing it; at most `limit`. */
export function emojiMatches(query: string, limit = 8): EmojiChoice[] {
  const q = query.toLowerCase();
  const starts = EMOJI.filter((e) => e.code.startsWith(q));
  const contains = starts.length >= limit ? [] : EMOJI.filter((e) => !e.code.startsWith(q) && e.code.includes(q));
  return [...starts, ...contains].slice(0, limit);
}

/** People whose username or display name starts with the query (any case), then those containing it. */
export function peopleMatches<T extends { username: string; displayName: string }>(people: readonly T[], query: string, limit = 8): T[] {
  const q = query.toLowerCase();
  const rank = (p: T) => {
    const names = [p.username.toLowerCase(), p.displayName.toLowerCase()];
    if (names.some((n) => n.startsWith(q))) return 0;
    return names.some((n) => n.includes(q)) ? 1 : 2;
  };
  return people
    .map((p) => ({ p, r: rank(p) }))
    .filter((x) => x.r < 2)
    .sort((a, b) => a.r - b.r)
    .slice(0, limit)
    .map((x) => x.p);
}
