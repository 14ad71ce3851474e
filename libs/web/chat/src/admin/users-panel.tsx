'use client';
import { useEffect, useState } from 'react';
import type { TUser } from '@chatbox/contracts';
import { adminApi } from '@chatbox/web-data-access';
import { CopyButton } from './copy-button';

const DEBOUNCE_MS = 200;

/** Everyone (deactivated people too), searchable; each row's actions act at once on the server. */
export function UsersPanel({ me }: { me: TUser }) {
  const [q, setQ] = useState('');
  const [version, setVersion] = useState(0);
  const [users, setUsers] = useState<TUser[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [oneTime, setOneTime] = useState<{ user: TUser; password: string } | null>(null);

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      adminApi.users(q).then(
        (page) => current && (setUsers(page.items), setCursor(page.nextCursor)),
        (err: unknown) => current && setError(err instanceof Error ? err.message : 'Cannot load the users'),
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [q, version]);

  const more = async () => {
    if (!cursor) return;
    const page = await adminApi.users(q, cursor);
    setUsers((list) => [...list, ...page.items]);
    setCursor(page.nextCursor);
  };

  /** Runs an action, says what happened (a live region), and reloads the list. */
  const act = async (action: () => Promise<unknown>, done: string) => {
    setError(null);
    setStatus(null);
    try {
      await action();
      setStatus(done);
      setVersion((v) => v + 1);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'That did not work');
    }
  };

  const reset = (user: TUser) =>
    act(async () => setOneTime({ user, password: (await adminApi.resetPassword(user.id)).password }), `${user.username}'s password was reset; every session of theirs has ended.`);

  return (
    <section className="admin-panel" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <label className="field">
        <span>Search by name</span>
        <input type="search" className="search-input" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Username or display name" />
      </label>
      <p className="admin-status" role="status">
        {status}
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {oneTime && (
        <div className="one-time" role="group" aria-label="One-time password">
          <p>
            One-time password for <strong>{oneTime.user.username}</strong>, shown only this once. Give it to them: they choose a new password when they log in.
          </p>
          <div className="copy-row">
            <input readOnly value={oneTime.password} aria-label={`One-time password for ${oneTime.user.username}`} className="mono" onFocus={(e) => e.target.select()} />
            <CopyButton text={oneTime.password} />
            <button type="button" className="secondary small" onClick={() => setOneTime(null)}>
              Done
            </button>
          </div>
        </div>
      )}
      <ul className="admin-list">
        {users.map((u) => (
          <li key={u.id} className="admin-user" data-username={u.username}>
            <div className="admin-user-name">
              <bdi>{u.displayName}</bdi> <span className="muted">@{u.username}</span>
              {u.role === 'admin' && <span className="tag">admin</span>}
              {u.deactivated && <span className="tag danger">deactivated</span>}
            </div>
            <div className="admin-user-actions">
              {u.id !== me.id &&
                (u.deactivated ? (
                  <button type="button" className="secondary small" onClick={() => void act(() => adminApi.reactivate(u.id), `${u.username} can log in again.`)}>
                    Reactivate
                  </button>
                ) : (
                  <button type="button" className="danger small" onClick={() => void act(() => adminApi.deactivate(u.id), `${u.username} was deactivated and logged out everywhere.`)}>
                    Deactivate
                  </button>
                ))}
              {u.role === 'admin' ? (
                <button type="button" className="secondary small" onClick={() => void act(() => adminApi.setRole(u.id, 'member'), `${u.username} is no longer an admin.`)}>
                  Remove admin
                </button>
              ) : (
                <button type="button" className="secondary small" onClick={() => void act(() => adminApi.setRole(u.id, 'admin'), `${u.username} is now an admin.`)}>
                  Make admin
                </button>
              )}
              <button type="button" className="secondary small" onClick={() => void reset(u)}>
                Reset password
              </button>
            </div>
          </li>
        ))}
      </ul>
      {users.length === 0 && <p className="muted">Nobody matches.</p>}
      {cursor && (
        <button type="button" className="secondary" onClick={() => void more()}>
          Show more
        </button>
      )}
    </section>
  );
}
