'use client';
import { KeyboardEvent, useState } from 'react';
import type { TMessage } from '@chatbox/contracts';
import { actionsFor, hasReacted } from '@chatbox/web-data-access';
import { Avatar, Dialog, Icon } from '@chatbox/web-ui';
import { useChat, useStore } from './chat-context';
import { EmojiPicker } from './emoji-picker';
import { timeOf } from './format';
import { MessageAttachments } from './message-attachments';
import { MessageText } from './message-text';

/**
 * One message with its version 2 parts: the "edited" marker, the tombstone of a deleted one,
 * reaction chips, the reply count of a thread root, and its actions (react, reply in thread,
 * edit, delete). The actions show on hover and whenever focus is inside the message, so a
 * keyboard (Tab) and a touch screen (tap the message) reach them as well as a mouse.
 */
export function MessageItem({ message, startsGroup, inThread = false }: { message: TMessage; startsGroup: boolean; inThread?: boolean }) {
  const store = useStore();
  const me = useChat((s) => s.me);
  const conv = useChat((s) => s.conversations.find((c) => c.id === message.conversationId));
  const names = useChat((s) => s.names);
  const [editing, setEditing] = useState(false);
  const [picking, setPicking] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState('');
  const time = timeOf(message.createdAt);
  const deleted = message.deletedAt !== null;
  const ownAnonymous = store.isOwnAnonymous(message);
  const can = actionsFor(message, me, conv, ownAnonymous);
  const fail = (err: unknown) => setError(err instanceof Error ? err.message : 'That did not work');
  const react = (emoji: string) => {
    setPicking(false);
    store.toggleReaction(message, emoji).catch(fail);
  };

  return (
    <article
      className={`message${startsGroup ? ' first' : ''}${deleted ? ' deleted' : ''}${message.anonymous ? ' anonymous' : ''}`}
      data-testid="message"
      data-seq={message.seq}
      data-status="sent"
      tabIndex={0}
      aria-label={`${message.sender.displayName}, ${time}`}
    >
      <div className="message-gutter">
        {startsGroup ? <Avatar id={message.sender.id} name={message.sender.displayName} /> : <time className="gutter-time">{time}</time>}
      </div>
      <div className="message-content">
        {startsGroup && (
          <header className="message-header">
            {message.anonymous ? (
              <span className="sender anonymous-sender">
                Anonymous{ownAnonymous && <span className="muted"> (you asked this)</span>}
              </span>
            ) : (
              <SenderName displayName={message.sender.displayName} username={message.sender.username} />
            )}
            <time dateTime={message.createdAt}>{time}</time>
          </header>
        )}
        {deleted ? (
          <div className="message-body tombstone">This message was deleted.</div>
        ) : editing ? (
          <EditForm
            body={message.body}
            onCancel={() => setEditing(false)}
            onSave={(body) =>
              store.edit(message.conversationId, message.id, body).then(
                () => setEditing(false),
                (err: unknown) => fail(err),
              )
            }
          />
        ) : (
          <>
            {(message.body || message.editedAt) && (
              <div className="message-body">
                <MessageText text={message.body} />
                {message.editedAt && (
                  <span className="edited-marker" title={`Edited ${timeOf(message.editedAt)}`}>
                    {' '}
                    (edited)
                  </span>
                )}
              </div>
            )}
            <MessageAttachments attachments={message.attachments} />
          </>
        )}
        {message.reactions.length > 0 && (
          <ul className="reactions" aria-label="Reactions">
            {message.reactions.map((r) => {
              const mine = hasReacted(message, r.emoji, me.id);
              const who = r.userIds.map((id) => (id === me.id ? 'you' : (names[id] ?? 'someone'))).join(', ');
              return (
                <li key={r.emoji}>
                  <button
                    type="button"
                    className={mine ? 'reaction-chip mine' : 'reaction-chip'}
                    aria-pressed={mine}
                    title={`${who} reacted with ${r.emoji}`}
                    aria-label={`${r.emoji} ${r.userIds.length}: ${who}`}
                    onClick={() => react(r.emoji)}
                  >
                    <span className="reaction-emoji">{r.emoji}</span> {r.userIds.length}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        {!inThread && message.replyCount > 0 && (
          <button type="button" className="link-button thread-link" onClick={() => void store.openThread(message.conversationId, message.id)}>
            {message.replyCount} {message.replyCount === 1 ? 'reply' : 'replies'}
            {message.lastReplyAt && <span className="muted"> · last reply {timeOf(message.lastReplyAt)}</span>}
          </button>
        )}
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        {picking && <EmojiPicker onPick={react} onClose={() => setPicking(false)} />}
      </div>
      {!deleted && !editing && (
        <div className="message-actions" role="toolbar" aria-label="Message actions">
          {can.react && (
            <button type="button" className="action" aria-label="Add reaction" aria-expanded={picking} title="Add reaction" onClick={() => setPicking((p) => !p)}>
              <Icon name="smile" />
            </button>
          )}
          {can.reply && !inThread && (
            <button type="button" className="action" aria-label="Reply in thread" title="Reply in thread" onClick={() => void store.openThread(message.conversationId, message.id)}>
              <Icon name="reply" />
            </button>
          )}
          {can.edit && (
            <button type="button" className="action" aria-label="Edit message" title="Edit" onClick={() => setEditing(true)}>
              <Icon name="pencil" />
            </button>
          )}
          {can.delete && (
            <button type="button" className="action" aria-label="Delete message" title="Delete" onClick={() => setConfirming(true)}>
              <Icon name="trash" />
            </button>
          )}
        </div>
      )}
      {confirming && (
        <Dialog title="Delete message?" onClose={() => setConfirming(false)}>
          <p>It is deleted for everyone in the conversation. This cannot be undone.</p>
          <div className="confirm">
            <button
              type="button"
              className="danger"
              onClick={() => {
                setConfirming(false);
                store.remove(message.conversationId, message.id).catch(fail);
              }}
            >
              Delete
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </Dialog>
      )}
    </article>
  );
}

/** Enter saves, Shift+Enter starts a line, Escape cancels. */
function EditForm({ body, onSave, onCancel }: { body: string; onSave: (body: string) => void; onCancel: () => void }) {
  const [text, setText] = useState(body);
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onCancel();
    } else if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      if (text.trim()) onSave(text);
    }
  };
  return (
    <form
      className="edit-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) onSave(text);
      }}
    >
      <textarea aria-label="Edit message" value={text} autoFocus onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown} rows={2} />
      <div className="confirm">
        <button type="submit" className="primary" disabled={!text.trim()}>
          Save
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The sender's chosen name, isolated (<bdi>) so it cannot reorder the line, and the username, which nobody else can have. */
export function SenderName({ displayName, username }: { displayName: string; username: string }) {
  return (
    <>
      <strong className="sender">
        <bdi>{displayName}</bdi>
      </strong>
      <span className="muted sender-username">@{username}</span>
    </>
  );
}
