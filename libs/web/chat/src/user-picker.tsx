'use client';
import { useState } from 'react';
import type { TUser } from '@chatbox/contracts';
import { api } from '@chatbox/web-data-access';
import { Avatar } from '@chatbox/web-ui';
import { useSearch } from './use-search';

/** Picks people by searching; already chosen or excluded people are not offered again. */
export function UserPicker({ selected, onChange, exclude, label = 'Add people' }: { selected: TUser[]; onChange: (users: TUser[]) => void; exclude: string[]; label?: string }) {
  const [query, setQuery] = useState('');
  const { results, error } = useSearch(query, (q) => (q ? api.searchUsers(q).then((p) => p.items) : Promise.resolve([])));
  const hidden = new Set([...exclude, ...selected.map((u) => u.id)]);
  return (
    <div className="user-picker">
      <label className="field">
        <span>{label}</span>
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Search by name or username" autoComplete="off" />
      </label>
      {selected.length > 0 && (
        <ul className="chips" aria-label="Chosen people">
          {selected.map((u) => (
            <li key={u.id} className="chip">
              <bdi>{u.displayName}</bdi>
              <button type="button" aria-label={`Remove ${u.displayName}`} onClick={() => onChange(selected.filter((x) => x.id !== u.id))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && <p className="form-error">{error}</p>}
      <ul className="result-list">
        {results
          .filter((u) => !hidden.has(u.id))
          .map((u) => (
            <li key={u.id} className="result">
              <Avatar id={u.id} name={u.displayName} size={28} />
              <span className="result-name">
                <bdi>{u.displayName}</bdi> <span className="muted">@{u.username}</span>
              </span>
              <button type="button" className="secondary small" aria-label={`Add ${u.username}`} onClick={() => onChange([...selected, u])}>
                Add
              </button>
            </li>
          ))}
      </ul>
    </div>
  );
}
