'use client';
import { useEffect, useState } from 'react';

const DEBOUNCE_MS = 200;

/** Runs a search shortly after typing stops; answers of outdated queries are dropped. */
export function useSearch<T>(query: string, search: (q: string) => Promise<T[]>): { results: T[]; error: string | null; busy: boolean } {
  const [state, setState] = useState<{ results: T[]; error: string | null; busy: boolean }>({ results: [], error: null, busy: false });
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, busy: true }));
    const timer = setTimeout(() => {
      search(query).then(
        (results) => current && setState({ results, error: null, busy: false }),
        (err: unknown) => current && setState({ results: [], error: err instanceof Error ? err.message : 'Search failed', busy: false }),
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // the search function is a stable module-level call; only the query drives it
  }, [query]);
  return state;
}
