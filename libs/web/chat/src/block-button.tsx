'use client';
import { useEffect, useState } from 'react';
import type { TUser } from '@chatbox/contracts';
import { api } from '@chatbox/web-data-access';

/**
 * Block / Unblock for the person of a direct conversation. A block stops direct messages both
 * ways and stops either adding the other to groups (the api refuses; see the README's Security).
 */
export function BlockButton({ user }: { user: TUser }) {
  const [blocked, setBlocked] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.blocks().then(
      (users) => live && setBlocked(users.some((u) => u.id === user.id)),
      () => live && setBlocked(null),
    );
    return () => {
      live = false;
    };
  }, [user.id]);

  if (blocked === null) return null;
  const toggle = async () => {
    setError(null);
    try {
      await (blocked ? api.unblock(user.id) : api.block(user.id));
      setBlocked(!blocked);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'That did not work');
    }
  };
  return (
    <>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
      <button
        type="button"
        className={blocked ? 'secondary' : 'danger'}
        aria-pressed={blocked}
        title={blocked ? `Let @${user.username} message you again` : `@${user.username} will not be able to message you or add you to groups`}
        onClick={() => void toggle()}
      >
        {blocked ? 'Unblock' : 'Block'}
      </button>
    </>
  );
}
