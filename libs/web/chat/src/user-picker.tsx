'use client';
import { KeyboardEvent, useId, useState } from 'react';
import type { TUser } from '@chatbox/contracts';
import { api } from '@chatbox/web-data-access';
import { Avatar } from '@chatbox/web-ui';
import { useSearch } from './use-search';

/**
 * Picks people by searching: a combobox whose list is highlighted with the arrow keys and picked
 * with Enter (which never sends the surrounding form) or a click. Already chosen or excluded
 * people are not offered again.
 */
export function UserPicker({ selected, onChange, exclude, label = 'Add people' }: { selected: TUser[]; onChange: (users: TUser[]) => void; exclude: string[]; label?: string }) {
  const [query, setQuery] = useState('');
  const [highlight, setHighlight] = useState(0);
  const { results, error } = useSearch(query, (q) => (q ? api.searchUsers(q).then((p) => p.items) : Promise.resolve([])));
  const hidden = new Set([...exclude, ...selected.map((u) => u.id)]);
  const offered = results.filter((u) => !hidden.has(u.id));
  const active = Math.min(highlight, offered.length - 1);
  const listId = useId();
  const optionId = (i: number) => `${listId}-option-${i}`;

  const pick = (u: TUser) => {
    onChange([...selected, u]);
    setQuery('');
    setHighlight(0);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (offered.length === 0) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setHighlight((Math.max(active, 0) + step + offered.length) % offered.length);
    } else if (e.key === 'Enter') {
      // Enter belongs to the picker: it never sends the form around it
      e.preventDefault();
      if (active >= 0 && offered[active]) pick(offered[active]);
    }
  };

  return (
    <div className="user-picker">
      <label className="field">
        <span>{label}</span>
        <input
          type="search"
          role="combobox"
          aria-expanded={offered.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={active >= 0 && offered.length > 0 ? optionId(active) : undefined}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setHighlight(0);
          }}
          onKeyDown={onKeyDown}
          placeholder="Search by name or username"
          autoComplete="off"
        />
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
      <ul className="result-list" role="listbox" id={listId} aria-label="People found">
        {offered.map((u, i) => (
          <li
            key={u.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'result option highlighted' : 'result option'}
            onMouseDown={(e) => e.preventDefault() /* keeps focus in the search field */}
            onMouseEnter={() => setHighlight(i)}
            onClick={() => pick(u)}
          >
            <Avatar id={u.id} name={u.displayName} size={28} />
            <span className="result-name">
              <bdi>{u.displayName}</bdi> <span className="muted">@{u.username}</span>
            </span>
            <span className="option-hint" aria-hidden="true">
              Add
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
