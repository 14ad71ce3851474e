'use client';
import { useEffect, useState } from 'react';
import type { TAuditEntry } from '@chatbox/contracts';
import { adminApi } from '@chatbox/web-data-access';

/** One line of the log in words: "alice deactivated bob". */
function describe(e: TAuditEntry): string {
  const target = e.target ? e.target.username : 'someone';
  switch (e.action) {
    case 'user.deactivate':
      return `deactivated ${target}`;
    case 'user.reactivate':
      return `reactivated ${target}`;
    case 'user.role':
      return e.details.role === 'admin' ? `made ${target} an admin` : `made ${target} a member`;
    case 'user.password_reset':
      return `reset the password of ${target}`;
    case 'settings.update':
      return `set sign-up to ${String(e.details.registration)}`;
    case 'invite.create':
      return `created an invite link valid until ${new Date(String(e.details.expiresAt)).toLocaleString()}`;
    case 'message.delete':
      return `deleted a message of ${target}`;
    case 'queue.action':
      return `queue ${String(e.details.queue)}: ${String(e.details.operation)}`;
  }
}

/** Every admin action, newest first. */
export function AuditPanel() {
  const [entries, setEntries] = useState<TAuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async (after?: string) => {
    try {
      const page = await adminApi.audit(after);
      setEntries((list) => (after ? [...list, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Cannot load the audit log');
    }
  };
  useEffect(() => {
    void load();
  }, []);

  return (
    <section className="admin-panel" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {entries.length === 0 && !error && <p className="muted">No admin actions yet.</p>}
      <ol className="admin-list audit">
        {entries.map((e) => (
          <li key={e.id} data-action={e.action}>
            <time dateTime={e.createdAt}>{new Date(e.createdAt).toLocaleString()}</time>{' '}
            <strong>{e.actor ? e.actor.username : 'the server'}</strong> {describe(e)}
          </li>
        ))}
      </ol>
      {cursor && (
        <button type="button" className="secondary" onClick={() => void load(cursor)}>
          Show older
        </button>
      )}
    </section>
  );
}
