'use client';
import Link from 'next/link';
import type { TConversation } from '@chatbox/contracts';
import { Avatar, Icon, MentionBadge, PresenceDot, UnreadBadge } from '@chatbox/web-ui';
import { useChat, useStore } from './chat-context';
import { titleOf } from './format';
import { ConversationIcon } from './conversation-icon';
import { MessageSearch } from './message-search';
import { NewPeopleList, OnlineList } from './online-list';
import { DownloadDataLink } from './download-data-link';

export function Sidebar(props: { onFind: () => void; onCreate: () => void; onLogout: () => void }) {
  const me = useChat((s) => s.me);
  const connection = useChat((s) => s.connection);
  const conversations = useChat((s) => s.conversations);
  const channels = conversations.filter((c) => c.kind !== 'direct');
  const directs = conversations.filter((c) => c.kind === 'direct');
  const store = useStore();
  const notifications = useChat((s) => s.notifications);
  return (
    <nav className="sidebar" aria-label="Conversations">
      <header className="sidebar-header">
        <div className="me">
          <Avatar id={me.id} name={me.displayName} size={32} />
          <div>
            <div className="me-name">
              <bdi>{me.displayName}</bdi>
            </div>
            <div className="me-status">
              <PresenceDot online={connection === 'online'} /> {connection === 'online' ? 'online' : connection}
            </div>
          </div>
        </div>
        <div className="sidebar-header-actions">
          {me.role === 'admin' && (
            <Link href="/admin" className="sidebar-button small">
              Admin
            </Link>
          )}
          <Link href="/profile" className="sidebar-button small">
            Profile
          </Link>
          <button type="button" className="sidebar-button small" onClick={props.onLogout}>
            Log out
          </button>
        </div>
      </header>
      <div className="sidebar-actions">
        <button type="button" className="sidebar-button" onClick={props.onFind}>
          <Icon name="search" /> Find people &amp; groups
        </button>
        <button type="button" className="sidebar-button" onClick={props.onCreate}>
          <Icon name="plus" /> New group
        </button>
        {notifications === 'default' && (
          // asked only when the user chooses to: never at page load
          <button type="button" className="sidebar-button" onClick={() => void store.enableNotifications()}>
            <Icon name="bell" /> Turn on desktop notifications
          </button>
        )}
      </div>
      <MessageSearch>
        <ConversationSection title="Channels" items={channels} />
        <ConversationSection title="Direct messages" items={directs} empty="Find someone to start a chat." />
        <NewPeopleList />
        <OnlineList />
      </MessageSearch>
      <footer className="sidebar-footer">
        <DownloadDataLink />
      </footer>
    </nav>
  );
}

function ConversationSection({ title, items, empty }: { title: string; items: TConversation[]; empty?: string }) {
  return (
    <section className="sidebar-section">
      <h2>{title}</h2>
      {items.length === 0 && empty && <p className="sidebar-empty">{empty}</p>}
      <ul>
        {items.map((c) => (
          <ConversationItem key={c.id} conv={c} />
        ))}
      </ul>
    </section>
  );
}

function ConversationItem({ conv }: { conv: TConversation }) {
  const store = useStore();
  const active = useChat((s) => s.activeId === conv.id);
  const peerOnline = useChat((s) => (conv.peer ? (s.presence[conv.peer.id] ?? conv.peer.online) : false));
  const title = titleOf(conv);
  return (
    <li>
      <button
        type="button"
        className={`conversation-item${active ? ' active' : ''}${conv.unread > 0 ? ' unread' : ''}`}
        aria-current={active ? 'page' : undefined}
        data-conversation={title}
        onClick={() => store.select(conv.id)}
      >
        {conv.kind === 'direct' ? <PresenceDot online={peerOnline} /> : <ConversationIcon conv={conv} />}
        <span className="conversation-name">
          <bdi>{title}</bdi>
        </span>
        <MentionBadge count={conv.mentions} />
        <UnreadBadge count={conv.unread} />
      </button>
    </li>
  );
}
