'use client';
import { useLayoutEffect, useMemo, useRef } from 'react';
import type { TMessage } from '@chatbox/contracts';
import { layoutMessages, PendingMessage } from '@chatbox/web-util';
import { Avatar } from '@chatbox/web-ui';
import { useChat, useStore } from './chat-context';
import { dayLabel, timeOf } from './format';
import { MessageText } from './message-text';

const NEAR_BOTTOM_PX = 60;
const NEAR_TOP_PX = 80;

/** Newest at the bottom; stays pinned there while the reader is at the bottom; older pages load on scrolling up. */
export function MessageList({ conversationId }: { conversationId: string }) {
  const store = useStore();
  const thread = useChat((s) => s.threads[conversationId]);
  const me = useChat((s) => s.me);
  const messages = thread?.messages ?? EMPTY;
  const pending = thread?.pending ?? EMPTY_PENDING;
  const rows = useMemo(() => layoutMessages(messages), [messages]);
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const anchor = useRef<{ firstSeq: number | undefined; fromBottom: number }>({ firstSeq: undefined, fromBottom: 0 });

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const firstSeq = messages[0]?.seq;
    if (anchor.current.firstSeq !== undefined && firstSeq !== undefined && firstSeq < anchor.current.firstSeq) {
      // older page prepended: keep the message the reader was looking at in place
      el.scrollTop = el.scrollHeight - anchor.current.fromBottom;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
    anchor.current = { firstSeq, fromBottom: el.scrollHeight - el.scrollTop };
  }, [messages, pending]);

  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    anchor.current.fromBottom = el.scrollHeight - el.scrollTop;
    if (el.scrollTop < NEAR_TOP_PX) void store.loadOlder(conversationId);
  };

  return (
    <div className="message-list" ref={box} onScroll={onScroll} role="log" aria-live="polite" aria-label="Messages">
      {thread?.loadingOlder && <div className="list-note">Loading older messages…</div>}
      {thread?.loaded && !thread.hasOlder && <div className="list-note">This is the beginning of the conversation.</div>}
      {!thread?.loaded && <div className="list-note">Loading…</div>}
      {rows.map(({ message, day, startsGroup }) => (
        <div key={message.id}>
          {day && (
            <div className="day-separator" role="separator">
              <span>{dayLabel(day)}</span>
            </div>
          )}
          <MessageItem message={message} startsGroup={startsGroup} />
        </div>
      ))}
      {pending.map((p, i) => (
        <PendingItem
          key={p.clientMsgId}
          pending={p}
          name={me.displayName}
          username={me.username}
          selfId={me.id}
          startsGroup={i === 0 && messages.at(-1)?.sender.id !== me.id}
          onRetry={() => store.retry(conversationId, p.clientMsgId)}
          onDiscard={() => store.discard(conversationId, p.clientMsgId)}
        />
      ))}
    </div>
  );
}

const EMPTY: readonly TMessage[] = [];
const EMPTY_PENDING: readonly PendingMessage[] = [];

function MessageItem({ message, startsGroup }: { message: TMessage; startsGroup: boolean }) {
  const time = timeOf(message.createdAt);
  return (
    <article className={startsGroup ? 'message first' : 'message'} data-testid="message" data-seq={message.seq} data-status="sent">
      <div className="message-gutter">
        {startsGroup ? <Avatar id={message.sender.id} name={message.sender.displayName} /> : <time className="gutter-time">{time}</time>}
      </div>
      <div className="message-content">
        {startsGroup && (
          <header className="message-header">
            <SenderName displayName={message.sender.displayName} username={message.sender.username} />
            <time dateTime={message.createdAt}>{time}</time>
          </header>
        )}
        <div className="message-body">
          <MessageText text={message.body} />
        </div>
      </div>
    </article>
  );
}

/** The sender's chosen name, isolated (<bdi>) so it cannot reorder the line, and the username, which nobody else can have. */
function SenderName({ displayName, username }: { displayName: string; username: string }) {
  return (
    <>
      <strong className="sender">
        <bdi>{displayName}</bdi>
      </strong>
      <span className="muted sender-username">@{username}</span>
    </>
  );
}

function PendingItem(props: {
  pending: PendingMessage;
  name: string;
  username: string;
  selfId: string;
  startsGroup: boolean;
  onRetry: () => void;
  onDiscard: () => void;
}) {
  const { pending, name, selfId, startsGroup } = props;
  const failed = pending.status === 'failed';
  return (
    <article className={`message pending ${failed ? 'failed' : ''} ${startsGroup ? 'first' : ''}`} data-testid="message" data-status={pending.status}>
      <div className="message-gutter">{startsGroup && <Avatar id={selfId} name={name} />}</div>
      <div className="message-content">
        {startsGroup && (
          <header className="message-header">
            <SenderName displayName={name} username={props.username} />
          </header>
        )}
        <div className="message-body">
          <MessageText text={pending.body} />
        </div>
        <div className="message-status" role={failed ? 'alert' : 'status'}>
          {failed ? (
            <>
              <span>Not sent{pending.error && pending.error !== 'Not sent' ? `: ${pending.error}` : ''}.</span>
              <button type="button" className="link-button" onClick={props.onRetry}>
                Retry
              </button>
              <button type="button" className="link-button" onClick={props.onDiscard}>
                Discard
              </button>
            </>
          ) : (
            <span>Sending…</span>
          )}
        </div>
      </div>
    </article>
  );
}
