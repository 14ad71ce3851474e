'use client';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { seenBy, topLevel } from '@chatbox/web-data-access';
import type { TMessage, TNotice } from '@chatbox/contracts';
import { layoutMessages, noticeText, PendingMessage, placeNotices } from '@chatbox/web-util';
import { Avatar } from '@chatbox/web-ui';
import { useChat, useStore } from './chat-context';
import { dayLabel } from './format';
import { MessageAttachments } from './message-attachments';
import { MessageText } from './message-text';
import { MessageItem, SenderName } from './message-item';
import { SeenBy } from './living-lines';

const NEAR_BOTTOM_PX = 60;
const NEAR_TOP_PX = 80;

/**
 * Newest at the bottom; stays pinned there while the reader is at the bottom; older pages load on
 * scrolling up. Opened with unread messages, it starts at a "New messages" line before the first
 * of them; a reader scrolled up is told of arrivals by a "New messages below" button.
 */
export function MessageList({ conversationId }: { conversationId: string }) {
  const store = useStore();
  const thread = useChat((s) => s.threads[conversationId]);
  const me = useChat((s) => s.me);
  const unreadFrom = useChat((s) => s.unreadFrom[conversationId]);
  const focusId = useChat((s) => (s.focus?.conversationId === conversationId ? s.focus.messageId : undefined));
  // replies live in their thread panel; the root shows their count
  const all = thread?.messages ?? EMPTY;
  const messages = useMemo(() => topLevel(all), [all]);
  const allPending = thread?.pending ?? EMPTY_PENDING;
  const pending = useMemo(() => allPending.filter((p) => !p.threadRootId), [allPending]);
  const receipts = useChat((s) => s.receipts[conversationId]);
  const seen = useMemo(() => seenBy(messages, receipts, me.id), [messages, receipts, me.id]);
  const rows = useMemo(() => layoutMessages(messages), [messages]);
  const notices = useMemo(() => placeNotices(messages, thread?.notices ?? EMPTY_NOTICES), [messages, thread?.notices]);
  const firstUnreadId = unreadFrom === undefined || !holdsUnreadStart(all, unreadFrom) ? undefined : messages.find((m) => m.seq > unreadFrom)?.id;
  const box = useRef<HTMLDivElement>(null);
  const marker = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const positioned = useRef(false);
  const lastSeq = useRef(0);
  const [below, setBelow] = useState(false);
  const anchor = useRef<{ firstSeq: number | undefined; fromBottom: number }>({ firstSeq: undefined, fromBottom: 0 });

  /** while the reader has not scrolled, the list stays at the "New messages" line (late layout shifts included) */
  const heldAtMarker = useRef<number | null>(null);
  const alignToMarker = (el: HTMLDivElement): boolean => {
    const line = marker.current;
    if (!line) return false;
    el.scrollTop += line.getBoundingClientRect().top - el.getBoundingClientRect().top - 8;
    heldAtMarker.current = el.scrollTop;
    return true;
  };

  const pendingCount = useRef(pending.length);
  /** a window short of the newest (a search hit's): what loads below must not pull the view down */
  const detached = useRef(false);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const firstSeq = messages[0]?.seq;
    const newest = messages.at(-1)?.seq ?? 0;
    const arrived = positioned.current && newest > lastSeq.current;
    lastSeq.current = newest;
    // what the user just sent is always shown, with its "Sending…" or "Not sent / Retry" line
    const justSent = pending.length > pendingCount.current;
    pendingCount.current = pending.length;
    // emptied to load again (a window on older messages left for the newest): positioned afresh
    if (!thread?.loaded) positioned.current = false;
    if (!positioned.current) {
      if (!thread?.loaded) return;
      positioned.current = true;
      // start where the unread messages start, else at the newest
      if (!alignToMarker(el)) el.scrollTop = el.scrollHeight;
      atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
      store.setReadingBack(conversationId, !atBottom.current);
    } else if (anchor.current.firstSeq !== undefined && firstSeq !== undefined && firstSeq < anchor.current.firstSeq) {
      // older page prepended: keep the message the reader was looking at in place
      el.scrollTop = el.scrollHeight - anchor.current.fromBottom;
    } else if (detached.current && !justSent) {
      // a newer page appended below the window: the reader stays where they are
    } else if (atBottom.current || justSent) {
      heldAtMarker.current = null;
      el.scrollTop = el.scrollHeight;
      atBottom.current = true;
    } else if (arrived) {
      setBelow(true);
    }
    anchor.current = { firstSeq, fromBottom: el.scrollHeight - el.scrollTop };
    detached.current = !!thread?.hasNewer;
  }, [messages, pending, thread?.loaded, thread?.hasNewer, thread?.notices]);

  // a search hit (or a clicked notification) opened: its message in the middle of the view, the reader no longer at the bottom
  const shownFocus = useRef<string | undefined>(undefined);
  useLayoutEffect(() => {
    const el = box.current;
    if (!focusId) shownFocus.current = undefined;
    if (!el || !focusId || shownFocus.current === focusId) return;
    const target = el.querySelector(`[data-message-id="${CSS.escape(focusId)}"]`);
    if (!target) return;
    shownFocus.current = focusId;
    heldAtMarker.current = null;
    target.scrollIntoView({ block: 'center' });
    // keyboard users go on from there: the arrow keys scroll the history around it
    el.focus({ preventScroll: true });
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    anchor.current.fromBottom = el.scrollHeight - el.scrollTop;
  }, [focusId, rows]);

  // the list shrinks when the composer grows (a long draft) or a status line gets taller: a
  // reader at the bottom stays at the bottom instead of losing the last lines behind it
  useLayoutEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (heldAtMarker.current !== null) alignToMarker(el);
      else if (atBottom.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    for (const child of Array.from(el.children)) observer.observe(child);
    return () => observer.disconnect();
  }, [messages, pending]);

  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    // a scroll that is not ours: the reader took over
    if (heldAtMarker.current !== null && Math.abs(el.scrollTop - heldAtMarker.current) > 2) heldAtMarker.current = null;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    // a reconnect after a long absence keeps the place of a reader who is back in the history
    store.setReadingBack(conversationId, !atBottom.current);
    if (atBottom.current && below) setBelow(false);
    anchor.current.fromBottom = el.scrollHeight - el.scrollTop;
    if (el.scrollTop < NEAR_TOP_PX) void store.loadOlder(conversationId);
    if (el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX) void store.loadNewer(conversationId);
  };

  const toBottom = () => {
    // a window on older messages: the newest ones replace it
    if (thread?.hasNewer) store.select(conversationId);
    heldAtMarker.current = null;
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setBelow(false);
  };

  return (
    <div className="messages-area">
      {/* shown over the list's bottom, but before it in the tab order: Shift+Tab from the messages
          (or Tab from the header) reaches it without passing every message on the way */}
      {(below || thread?.hasNewer) && (
        <button type="button" className="below-pill" onClick={toBottom}>
          {thread?.hasNewer ? 'Jump to the newest ↓' : 'New messages below ↓'}
        </button>
      )}
      {/* focusable: keyboard users scroll the history with the arrow keys (axe: scrollable-region-focusable) */}
      <div className="message-list" ref={box} onScroll={onScroll} role="log" aria-live="polite" aria-label="Messages" tabIndex={0}>
        {thread?.loadingOlder && <div className="list-note">Loading older messages…</div>}
        {thread?.loaded && !thread.hasOlder && <div className="list-note">This is the beginning of the conversation.</div>}
        {!thread?.loaded && <div className="list-note">Loading…</div>}
        {rows.map(({ message, day, startsGroup }) => (
          <div key={message.id} data-message-id={message.id} className={message.id === focusId ? 'search-target' : undefined}>
            {message.id === firstUnreadId && (
              <div className="new-messages" role="separator" aria-label="New messages" ref={marker}>
                <span>New messages</span>
              </div>
            )}
            {day && (
              <div className="day-separator" role="separator">
                <span>{dayLabel(day)}</span>
              </div>
            )}
            {notices.before.get(message.id)?.map((n) => <NoticeLine key={n.id} notice={n} />)}
            {/* after a notice, a message shows its sender again */}
            <MessageItem message={message} startsGroup={startsGroup || notices.before.has(message.id)} />
            {seen?.messageId === message.id && <SeenBy userIds={seen.userIds} />}
          </div>
        ))}
        {notices.after.map((n) => (
          <NoticeLine key={n.id} notice={n} />
        ))}
        {thread?.loadingNewer && <div className="list-note">Loading newer messages…</div>}
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
    </div>
  );
}

/**
 * Whether the held messages (seq-dense, replies included) reach back to where the unread ones
 * start: a window on the newest of many unread messages does not, and a "New messages" line at
 * its top would call everything above it read. The line shows once older pages reach its place.
 */
function holdsUnreadStart(held: readonly TMessage[], unreadFrom: number): boolean {
  const first = held[0]?.seq;
  return first !== undefined && first <= unreadFrom + 1;
}

const EMPTY: readonly TMessage[] = [];
const EMPTY_NOTICES: readonly TNotice[] = [];

/** A membership change (joined, left, added, removed, ownership passed), as a line between messages. */
function NoticeLine({ notice }: { notice: TNotice }) {
  return (
    <p className="notice-line" data-testid="notice" data-kind={notice.kind}>
      <bdi>{noticeText(notice)}</bdi>
    </p>
  );
}
const EMPTY_PENDING: readonly PendingMessage[] = [];

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
        {pending.body && (
          <div className="message-body">
            <MessageText text={pending.body} />
          </div>
        )}
        {pending.attachments && <MessageAttachments attachments={pending.attachments} />}
        <div className="message-status" role={failed ? 'alert' : 'status'}>
          {failed ? (
            <>
              <span>Not sent{pending.error ? `: ${pending.error.replace(/[.!?]+$/, '')}` : ''}.</span>
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
