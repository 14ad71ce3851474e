'use client';
import { NOTIFY_LEVELS, type TConversation, type TNotifyLevel } from '@chatbox/contracts';
import { Icon, PresenceDot } from '@chatbox/web-ui';
import { BlockButton } from './block-button';
import { useChat, useStore } from './chat-context';
import { Composer } from './composer';
import { DropOverlay, useFileDrop } from './use-file-drop';
import { titleOf } from './format';
import { ConversationIcon } from './conversation-icon';
import { MessageList } from './message-list';
import { TypingLine } from './living-lines';
import { ThreadPanel } from './thread-panel';

export function ConversationPane({ conversationId, onSettings }: { conversationId: string; onSettings: () => void }) {
  const store = useStore();
  const conv = useChat((s) => s.conversations.find((c) => c.id === conversationId));
  const presence = useChat((s) => s.presence);
  // files dropped anywhere on the conversation go to its composer
  const drop = useFileDrop((files) => void store.uploads.for(conversationId).add(files));
  if (!conv) return <EmptyPane />;
  const title = titleOf(conv);
  const peerOnline = conv.peer ? (presence[conv.peer.id] ?? conv.peer.online) : false;
  return (
    <div className="conversation-row">
    <section className="conversation" aria-label={`Conversation ${title}`} {...drop.handlers}>
      {drop.dragging && <DropOverlay label={`Drop files to send to ${title}`} />}
      <header className="pane-header">
        <button type="button" className="icon-button back-button" aria-label="Back to conversations" onClick={() => store.select(null)}>
          ‹
        </button>
        <div className="pane-title">
          <h1>
            {conv.kind !== 'direct' && <ConversationIcon conv={conv} />}
            <bdi className="pane-title-text">{title}</bdi>
          </h1>
          <p className="pane-subtitle">
            {conv.kind === 'direct' ? (
              <>
                <PresenceDot online={peerOnline} /> {peerOnline ? 'online' : 'offline'} · @{conv.peer?.username}
              </>
            ) : (
              `${conv.memberCount} member${conv.memberCount === 1 ? '' : 's'}${conv.visibility ? ` · ${conv.visibility}` : ''}`
            )}
          </p>
          {conv.ephemeral && (
            <p className="ephemeral-note" role="note">
              <span aria-hidden="true">⏳</span> Messages here vanish when everyone has left.
            </p>
          )}
        </div>
        <NotifySelect conv={conv} />
        {conv.peer && <BlockButton key={conv.peer.id} user={conv.peer} />}
        {conv.kind === 'group' && (
          // on a phone only the gear shows: the conversation's name needs the width
          <button type="button" className="secondary pane-settings" onClick={onSettings} aria-label="Group settings" title="Group settings">
            <Icon name="gear" /> <span className="button-text">Group settings</span>
          </button>
        )}
      </header>
      {/* keyed: a list starts afresh (scroll position, "New messages") in each conversation */}
      <MessageList key={`messages-${conv.id}`} conversationId={conv.id} />
      <TypingLine conversationId={conv.id} />
      <Composer key={conv.id} conversationId={conv.id} label={isChannel(conv) ? `#${title}` : title} />
    </section>
    <ThreadPanel />
    </div>
  );
}

/** Short: the bell beside them says what they are about (the select's name says it in full). */
const NOTIFY_LABELS: Record<TNotifyLevel, string> = { all: 'All', mentions: 'Mentions', none: 'Muted' };

/** This user's notification level here (desktop notifications while the tab is hidden). */
function NotifySelect({ conv }: { conv: TConversation }) {
  const store = useStore();
  return (
    <span className="notify-control" title="Desktop notifications for this conversation">
      <Icon name="bell" />
      <select
        className="notify-select"
        aria-label="Desktop notifications for this conversation"
        value={conv.notify}
        onChange={(e) => void store.setNotify(conv.id, e.target.value as TNotifyLevel).catch(() => undefined)}
      >
        {NOTIFY_LEVELS.map((level) => (
          <option key={level} value={level}>
            {NOTIFY_LABELS[level]}
          </option>
        ))}
      </select>
    </span>
  );
}

/** "#name" is how channels (all, public groups) are written; private groups and people go by name. */
const isChannel = (conv: TConversation) => conv.kind === 'all' || (conv.kind === 'group' && conv.visibility !== 'private');

export function EmptyPane() {
  return (
    <section className="conversation empty">
      <p>Pick a conversation, or find someone to talk to.</p>
    </section>
  );
}
