'use client';
import { FormEvent, KeyboardEvent, useLayoutEffect, useRef, useState } from 'react';
import { LIMITS } from '@chatbox/contracts';
import { isolate } from '@chatbox/web-util';
import { useStore } from './chat-context';

const SHOW_COUNT_FROM = LIMITS.bodyMax - 500;
const MAX_HEIGHT_PX = 200;

/** Enter sends, Shift+Enter starts a new line; the draft survives switching conversations. */
export function Composer({ conversationId, label }: { conversationId: string; label: string }) {
  const store = useStore();
  const [text, setText] = useState(() => store.drafts.get(conversationId));
  const area = useRef<HTMLTextAreaElement>(null);
  const length = text.trim().length;
  const tooLong = length > LIMITS.bodyMax;

  useLayoutEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  useLayoutEffect(() => area.current?.focus(), [conversationId]);

  const update = (value: string) => {
    setText(value);
    store.drafts.set(conversationId, value);
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const body = text.trim();
    if (!body || tooLong) return;
    store.send(conversationId, body);
    update('');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
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
        aria-label={`Message ${label}`}
        placeholder={`Message ${isolate(label)}`}
        onChange={(e) => update(e.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={tooLong}
        aria-describedby="composer-hint"
      />
      <div className="composer-footer">
        <span id="composer-hint" className={tooLong ? 'composer-hint error' : 'composer-hint'}>
          {length >= SHOW_COUNT_FROM ? `${length} / ${LIMITS.bodyMax}` : 'Enter to send, Shift+Enter for a new line'}
        </span>
        <button type="submit" className="primary" disabled={length === 0 || tooLong}>
          Send
        </button>
      </div>
    </form>
  );
}
