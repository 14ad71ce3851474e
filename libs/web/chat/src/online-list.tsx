'use client';
import { api } from '@chatbox/web-data-access';
import { PresenceDot } from '@chatbox/web-ui';
import { useChat, useStore } from './chat-context';

/** Opens (or creates) the direct chat with someone. */
function useOpenDirect(): (userId: string) => Promise<void> {
  const store = useStore();
  return async (userId) => {
    const conv = await api.openDirect(userId);
    store.upsertConversation(conv);
    store.select(conv.id);
  };
}

/** People who registered while this page is open (the live new-user list); empty: not shown. */
export function NewPeopleList() {
  const users = useChat((s) => s.newUsers);
  const open = useOpenDirect();
  if (users.length === 0) return null;
  return (
    <section className="sidebar-section" aria-label="New people">
      <h2>New here</h2>
      <ul>
        {users.map((u) => (
          <li key={u.id}>
            <button type="button" className="conversation-item" onClick={() => void open(u.id)} aria-label={`Message ${u.displayName}, new here`}>
              <span className="conversation-prefix" aria-hidden>
                +
              </span>
              <span className="conversation-name">
                <bdi>{u.displayName}</bdi>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Who is online now; choosing someone opens the direct chat with them. */
export function OnlineList() {
  const me = useChat((s) => s.me);
  const users = useChat((s) => s.onlineUsers);
  const presence = useChat((s) => s.presence);
  const online = users.filter((u) => presence[u.id] ?? u.online);
  const open = useOpenDirect();
  return (
    <section className="sidebar-section" aria-label="Online now">
      <h2>Online now · {online.length}</h2>
      <ul>
        {online.map((u) => (
          <li key={u.id}>
            {u.id === me.id ? (
              <span className="conversation-item static">
                <PresenceDot online /> <span className="conversation-name">
                  <bdi>{u.displayName}</bdi> (you)
                </span>
              </span>
            ) : (
              <button type="button" className="conversation-item" onClick={() => void open(u.id)} aria-label={`Message ${u.displayName}`}>
                <PresenceDot online /> <span className="conversation-name">
                  <bdi>{u.displayName}</bdi>
                </span>
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
