'use client';
import { useEffect, useRef } from 'react';
import { useChat, useStore } from './chat-context';
import { Composer, composerKey } from './composer';
import { DropOverlay, useFileDrop } from './use-file-drop';
import { MessageItem } from './message-item';

/**
 * The thread of one message: the root, its replies (live: new ones and changes arrive through the
 * store) and a composer that replies in it. Beside the conversation on a wide screen, over it on
 * a phone. Escape closes it.
 */
export function ThreadPanel() {
  const store = useStore();
  const t = useChat((s) => s.replyThread);
  // the timeline's state of the root when it holds it, else the one the thread fetched
  const held = useChat((s) => (t ? s.threads[t.conversationId]?.messages.find((m) => m.id === t.rootId) : undefined));
  const root = held && (!t?.root || held.eventSeq >= t.root.eventSeq) ? held : t?.root;
  const list = useRef<HTMLDivElement>(null);
  const drop = useFileDrop((files) => void (t && store.uploads.for(composerKey(t.conversationId, t.rootId)).add(files)));
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [t?.replies.length]);
  if (!t) return null;
  return (
    <aside className="thread-panel" aria-label="Thread" onKeyDown={(e) => e.key === 'Escape' && store.closeThread()} {...drop.handlers}>
      {drop.dragging && <DropOverlay label="Drop files to reply with them" />}
      <header className="thread-header">
        <h2>Thread</h2>
        <button type="button" className="icon-button" aria-label="Close thread" onClick={() => store.closeThread()}>
          ×
        </button>
      </header>
      <div className="thread-messages" ref={list} role="log" aria-label="Replies">
        {root && <MessageItem message={root} startsGroup inThread />}
        <div className="thread-count" role="separator">
          {t.loaded ? `${t.replies.length} ${t.replies.length === 1 ? 'reply' : 'replies'}` : 'Loading replies…'}
        </div>
        {t.replies.map((m, i) => (
          <MessageItem key={m.id} message={m} startsGroup={i === 0 || t.replies[i - 1].sender.id !== m.sender.id} inThread />
        ))}
      </div>
      <Composer key={t.rootId} conversationId={t.conversationId} threadRootId={t.rootId} label="thread" />
    </aside>
  );
}
