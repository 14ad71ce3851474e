/** Escapes LIKE's wildcards so user input only ever matches itself. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/** The case-folded search text, as usernameKey and lower(displayName) are stored and indexed. */
export function searchKey(q: string): string {
  return q.normalize('NFKC').toLowerCase();
}
