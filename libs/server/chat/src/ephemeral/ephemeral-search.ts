import type { TTextRange } from '@chatbox/contracts';
import type { SearchTerm } from '../search/message-search-terms';

const WORD_RUNS = /[\p{L}\p{N}\p{M}]+/gu;

type Token = { folded: string; start: number; end: number };

/** As the search configuration folds words: compatibility forms, accents dropped, lower case. */
const fold = (text: string): string => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

const tokensOf = (text: string): Token[] =>
  [...text.matchAll(WORD_RUNS)].map((m) => ({ folded: fold(m[0]), start: m.index, end: m.index + m[0].length })).filter((t) => t.folded !== '');

/**
 * Matches a body against search terms the way the PostgreSQL search does, near enough for an
 * ephemeral room's messages (which are not in PostgreSQL's index): every term must match; a
 * word is each of its words, a phrase its words in a row, a prefix a word's beginning. Answers
 * the matched words as highlight ranges, or null when the body does not match. No stemming: a
 * search for "running" does not find "run" here, as it would in a stored conversation.
 */
export function matchBody(body: string, terms: readonly SearchTerm[]): TTextRange[] | null {
  if (terms.length === 0) return null;
  const tokens = tokensOf(body);
  const hits = new Set<Token>();
  for (const term of terms) {
    const words = tokensOf(term.text).map((t) => t.folded);
    if (words.length === 0) return null;
    if (term.kind === 'prefix') {
      const found = tokens.filter((t) => t.folded.startsWith(words[words.length - 1]));
      if (found.length === 0) return null;
      found.forEach((t) => hits.add(t));
    } else if (term.kind === 'word') {
      for (const word of words) {
        const found = tokens.filter((t) => t.folded === word);
        if (found.length === 0) return null;
        found.forEach((t) => hits.add(t));
      }
    } else {
      let matched = false;
      for (let i = 0; i + words.length <= tokens.length; i++) {
        if (words.every((w, j) => tokens[i + j].folded === w)) {
          matched = true;
          for (let j = 0; j < words.length; j++) hits.add(tokens[i + j]);
        }
      }
      if (!matched) return null;
    }
  }
  return [...hits].sort((a, b) => a.start - b.start).map((t) => ({ start: t.start, end: t.end }));
}
