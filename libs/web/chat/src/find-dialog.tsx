'use client';
import { useState } from 'react';
import type { TGroupSummary } from '@chatbox/contracts';
import { api } from '@chatbox/web-data-access';
import { Avatar, Dialog, Icon, PresenceDot } from '@chatbox/web-ui';
import { useChat, useStore } from './chat-context';
import { useSearch } from './use-search';

type Tab = 'people' | 'groups';

/** Search people (open a direct chat) and groups (open or join public ones). */
export function FindDialog({ onClose }: { onClose: () => void }) {
  const [tab, setTab] = useState<Tab>('people');
  return (
    <Dialog title="Find people and groups" onClose={onClose} wide>
      <div className="tabs" role="tablist">
        {(['people', 'groups'] as const).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'tab active' : 'tab'} onClick={() => setTab(t)}>
            {t === 'people' ? 'People' : 'Groups'}
          </button>
        ))}
      </div>
      {tab === 'people' ? <PeopleSearch onDone={onClose} /> : <GroupSearch onDone={onClose} />}
    </Dialog>
  );
}

function PeopleSearch({ onDone }: { onDone: () => void }) {
  const store = useStore();
  const me = useChat((s) => s.me);
  const presence = useChat((s) => s.presence);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | null>(null);
  const found = useSearch(query, (q) => api.searchUsers(q).then((p) => p.items));
  const open = async (userId: string) => {
    try {
      const conv = await api.openDirect(userId);
      store.upsertConversation(conv);
      store.select(conv.id);
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not open the chat');
    }
  };
  return (
    <div>
      <input className="search-input" type="search" aria-label="Search people" placeholder="Search people by name or username" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />
      {(error ?? found.error) && <p className="form-error">{error ?? found.error}</p>}
      <ul className="result-list">
        {found.results
          .filter((u) => u.id !== me.id)
          .map((u) => (
            <li key={u.id} className="result">
              <Avatar id={u.id} name={u.displayName} size={28} />
              <span className="result-name">
                <bdi>{u.displayName}</bdi> <span className="muted">@{u.username}</span> <PresenceDot online={presence[u.id] ?? u.online} />
              </span>
              <button type="button" className="primary small" aria-label={`Message ${u.username}`} onClick={() => void open(u.id)}>
                Message
              </button>
            </li>
          ))}
      </ul>
      {!found.busy && query && found.results.length === 0 && <p className="muted">Nobody found.</p>}
    </div>
  );
}

function GroupSearch({ onDone }: { onDone: () => void }) {
  const store = useStore();
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | null>(null);
  const found = useSearch(query, (q) => api.searchGroups(q));
  const isMember = (g: TGroupSummary) => g.role !== null;
  const open = async (g: TGroupSummary) => {
    try {
      if (!isMember(g)) {
        await api.joinGroup(g.id);
        await store.refreshConversations();
      }
      store.select(g.id);
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not join');
    }
  };
  return (
    <div>
      <input className="search-input" type="search" aria-label="Search groups" placeholder="Search groups by name" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />
      {(error ?? found.error) && <p className="form-error">{error ?? found.error}</p>}
      <ul className="result-list">
        {found.results.map((g) => (
            <li key={g.id} className="result">
              <span className="conversation-prefix">
                <Icon name={g.visibility === 'private' ? 'lock' : 'hash'} label={g.visibility} />
              </span>
              <span className="result-name">
                <bdi>{g.name}</bdi> <span className="muted">{g.memberCount} members · {g.visibility}</span>
              </span>
              <button type="button" className={isMember(g) ? 'secondary small' : 'primary small'} onClick={() => void open(g)}>
                {isMember(g) ? 'Open' : 'Join'}
              </button>
            </li>
          ))}
      </ul>
      {!found.busy && found.results.length === 0 && <p className="muted">No groups found.</p>}
    </div>
  );
}
