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
 * The terms as one tsquery, built by PostgreSQL's own functions from parameters (never by
 * splicing text into tsquery syntax, but for a prefix's letters): folded exactly as the index is.
 */
export function tsquerySql(terms: readonly SearchTerm[]): Prisma.Sql {
  if (terms.length === 0) return Prisma.sql`''::tsquery`;
  const parts = terms.map((term) => {
    switch (term.kind) {
      case 'word':
        return Prisma.sql`plainto_tsquery(${CONFIG}, ${term.text})`;
      case 'phrase':
        return Prisma.sql`phraseto_tsquery(${CONFIG}, ${term.text})`;
      case 'prefix':
        return Prisma.sql`to_tsquery(${CONFIG}, ${`'${term.text}':*`})`;
    }
  });
  return Prisma.sql`(${Prisma.join(parts, ' && ')})`;
}
