import { Prisma } from '@chatbox/server-db';

/** One part of a message search: every part must match (AND). */
export type SearchTerm =
  | { kind: 'word'; text: string }
  | { kind: 'phrase'; text: string }
  /** `text` is letters, digits and marks only: it goes into to_tsquery's syntax quoted. */
  | { kind: 'prefix'; text: string };

/** The text search configuration of the migration *_message_search: any language, accents folded. */
const CONFIG = Prisma.sql`'chatbox_search'::regconfig`;

const HAS_WORD = /[\p{L}\p{N}]/u;
const WORD_RUNS = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * Splits q into `"quoted phrases"` (an unclosed quote runs to the end), `prefix*` and plain
 * words. Anything without a letter or digit is dropped: it can match nothing. In `e-ma*` only
 * the last run of letters is a prefix; `e` stays a word.
 */
export function parseSearchTerms(q: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  for (const [, phrase, token] of q.matchAll(/"([^"]*)"?|([^\s"]+)/gu)) {
    if (phrase !== undefined) {
      if (HAS_WORD.test(phrase)) terms.push({ kind: 'phrase', text: phrase });
      continue;
    }
    if (!token.endsWith('*')) {
      if (HAS_WORD.test(token)) terms.push({ kind: 'word', text: token });
      continue;
    }
    const runs = token.match(WORD_RUNS) ?? [];
    const last = runs.pop();
    for (const run of runs) terms.push({ kind: 'word', text: run });
    if (last !== undefined) terms.push({ kind: 'prefix', text: last });
  }
  return terms;
}

/**
 * A prefix of at least this many letters is looked up as one exact lexeme of the index, '^'
 * and its first letters (see the migration *_message_search_prefixes); a shorter one as a
 * partial match, which gathers every match of it in the whole table.
 */
export const INDEXED_PREFIX_LENGTH = 3;

/** Whether some prefix is too short for the index's prefix lexemes (see INDEXED_PREFIX_LENGTH). */
export function hasShortPrefix(terms: readonly SearchTerm[]): boolean {
  return terms.some((t) => t.kind === 'prefix' && [...t.text].length < INDEXED_PREFIX_LENGTH);
}

/**
 * The terms as a one-row table of two tsqueries, built by PostgreSQL's own functions from three
 * array parameters (so the statement's text is the same whatever q holds: it is prepared once),
 * each term folded exactly as the index is, all ANDed:
 * - `query`: what a message must match, ranked and highlighted by;
 * - `match`: what the index looks up, the same but for each prefix, which becomes its
 *   prefix lexeme (chatbox_search_prefix_match): every message matching `query` matches
 *   `match`, not always the reverse, so `query` is checked on each candidate;
 * - `exact`: no prefix, `match` is `query`: nothing to check.
 * No terms: an empty query, which matches nothing.
 */
export function searchQueriesSql(terms: readonly SearchTerm[]): Prisma.Sql {
  const texts = (kind: SearchTerm['kind']) => terms.filter((t) => t.kind === kind).map((t) => t.text);
  return Prisma.sql`
    SELECT coalesce(chatbox_tsquery_and(t.query), ''::tsquery) AS query,
           coalesce(chatbox_tsquery_and(t.match), ''::tsquery) AS match,
           ${!terms.some((t) => t.kind === 'prefix')}::boolean AS exact
    FROM (
      SELECT q AS query, q AS match FROM unnest(${texts('word')}::text[]) w, plainto_tsquery(${CONFIG}, w) q
      UNION ALL
      SELECT q, q FROM unnest(${texts('phrase')}::text[]) p, phraseto_tsquery(${CONFIG}, p) q
      UNION ALL
      -- the letters go into to_tsquery's syntax quoted: they hold no quote (parseSearchTerms)
      SELECT to_tsquery(${CONFIG}, quote_literal(x) || ':*'), chatbox_search_prefix_match(x) FROM unnest(${texts('prefix')}::text[]) x
    ) t`;
}
