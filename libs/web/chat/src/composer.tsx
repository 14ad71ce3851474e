'use client';
import { FormEvent, KeyboardEvent, useLayoutEffect, useRef, useState } from 'react';
import { LIMITS, trimMessageBody } from '@chatbox/contracts';
import { isolate } from '@chatbox/web-util';
import { useStore } from './chat-context';

const SHOW_COUNT_FROM = LIMITS.bodyMax - 500;
const MAX_HEIGHT_PX = 200;

/**
 * A touch screen's on-screen keyboard has no Shift: there Enter starts a new line and the Send
 * button sends. With a mouse or trackpad (a keyboard at hand) Enter sends.
 */
const isTouchFirst = (): boolean => typeof window !== 'undefined' && window.matchMedia('(pointer: coarse)').matches;

/** Enter sends (a new line on touch screens), Shift+Enter starts a new line; the draft survives switching conversations. */
export function Composer({ conversationId, label, threadRootId }: { conversationId: string; label: string; threadRootId?: string }) {
  const store = useStore();
  // a thread's draft is its own: it is not the conversation's
  const draftKey = threadRootId ? `${conversationId}/thread/${threadRootId}` : conversationId;
  const [text, setText] = useState(() => store.drafts.get(draftKey));
  const [touch] = useState(isTouchFirst);
  const area = useRef<HTMLTextAreaElement>(null);
  const length = trimMessageBody(text).length;
  const tooLong = length > LIMITS.bodyMax;
  const hintId = threadRootId ? 'thread-composer-hint' : 'composer-hint';

  useLayoutEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  useLayoutEffect(() => area.current?.focus(), [draftKey]);

  const update = (value: string) => {
    setText(value);
    store.drafts.set(draftKey, value);
    if (value.trim()) store.typed(conversationId);
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const body = trimMessageBody(text);
    if (!body || tooLong) return;
    if (threadRootId) store.sendReply(conversationId, threadRootId, body);
    else store.send(conversationId, body);
    update('');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !touch && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <form className="composer" onSubmit={submit}>
      <textarea
        ref={area}
        rows={1}
        value={text}
        aria-label={threadRootId ? 'Reply in thread' : `Message ${label}`}
        placeholder={threadRootId ? 'Reply…' : `Message ${isolate(label)}`}
        onChange={(e) => update(e.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={tooLong}
        aria-describedby={hintId}
      />
      <div className="composer-footer">
        <span id={hintId} className={tooLong ? 'composer-hint error' : 'composer-hint'}>
          {length >= SHOW_COUNT_FROM ? `${length} / ${LIMITS.bodyMax}` : touch ? 'Tap Send to send; Enter starts a new line' : 'Enter to send, Shift+Enter for a new line'}
        </span>
        <button type="submit" className="primary" disabled={length === 0 || tooLong}>
          Send
        </button>
      </div>
    </form>
  );
}
