'use client';
import { ReactNode, useEffect, useState } from 'react';
import type { TMessageSearchHit } from '@chatbox/contracts';
import { api } from '@chatbox/web-data-access';
import { highlightExcerpt } from '@chatbox/web-util';
import { Icon } from '@chatbox/web-ui';
import { useStore } from './chat-context';
import { timeOf } from './format';

const DEBOUNCE_MS = 300;

type Found = { q: string; hits: TMessageSearchHit[]; nextCursor: string | null; busy: boolean; error: string | null };
const NOTHING: Found = { q: '', hits: [], nextCursor: null, busy: false, error: null };

/**
 * The sidebar's message search: while a query is typed its hits replace `children` (the
 * conversation list); a hit opens its message in its conversation. Escape or × clears it.
 */
export function MessageSearch({ children }: { children: ReactNode }) {
  const [query, setQuery] = useState('');
  const found = useMessageSearch(query.trim());
  return (
    <>
      <form role="search" className="message-search" onSubmit={(e) => e.preventDefault()}>
        <Icon name="search" />
        <input
          type="search"
          aria-label="Search messages"
          placeholder="Search messages"
          value={query}
          maxLength={200}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && setQuery('')}
        />
      </form>
      {query.trim() ? <SearchResults found={found.state} onMore={found.more} /> : children}
    </>
  );
}

function useMessageSearch(q: string): { state: Found; more: () => void } {
  const [state, setState] = useState<Found>(NOTHING);
  useEffect(() => {
    if (!q) return setState(NOTHING);
    let current = true;
    setState((s) => ({ ...s, busy: true }));
    const timer = setTimeout(() => {
      api.searchMessages(q).then(
        (page) => current && setState({ q, hits: page.items, nextCursor: page.nextCursor, busy: false, error: null }),
        (err: unknown) => current && setState({ ...NOTHING, q, error: err instanceof Error ? err.message : 'Search failed' }),
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [q]);
  const more = () => {
    if (!state.nextCursor || state.busy) return;
    const { q: asked, nextCursor } = state;
    setState((s) => ({ ...s, busy: true }));
    api.searchMessages(asked, nextCursor).then(
      (page) => setState((s) => (s.q === asked ? { ...s, hits: [...s.hits, ...page.items], nextCursor: page.nextCursor, busy: false } : s)),
      (err: unknown) => setState((s) => ({ ...s, busy: false, error: err instanceof Error ? err.message : 'Search failed' })),
    );
  };
  return { state, more };
}

function SearchResults({ found, onMore }: { found: Found; onMore: () => void }) {
  return (
    <section className="sidebar-section search-results" aria-label="Search results" aria-busy={found.busy}>
      <h2>Messages</h2>
      {found.error && <p className="sidebar-empty" role="alert">{found.error}</p>}
      {!found.busy && !found.error && found.q && found.hits.length === 0 && <p className="sidebar-empty">No messages found.</p>}
      <ul>
        {found.hits.map((hit) => (
          <SearchHit key={hit.message.id} hit={hit} />
        ))}
      </ul>
      {found.nextCursor && (
        <button type="button" className="sidebar-button small search-more" onClick={onMore} disabled={found.busy}>
          More results
        </button>
      )}
    </section>
  );
}

function SearchHit({ hit }: { hit: TMessageSearchHit }) {
  const store = useStore();
  const { message, conversation } = hit;
  return (
    <li>
      <button type="button" className="search-hit" data-testid="search-hit" onClick={() => void store.jumpTo(message)}>
        <span className="search-hit-where">
          <bdi>{conversation.kind === 'direct' ? conversation.name : `#${conversation.name}`}</bdi>
          {' · '}
          <bdi>{message.sender.displayName}</bdi>
          {' · '}
          <time dateTime={message.createdAt}>{new Date(message.createdAt).toLocaleDateString([], { month: 'short', day: 'numeric' })} {timeOf(message.createdAt)}</time>
        </span>
        <span className="search-hit-text">
          {highlightExcerpt(message.body, hit.highlights).map((part, i) => (part.marked ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
        </span>
      </button>
    </li>
  );
}
