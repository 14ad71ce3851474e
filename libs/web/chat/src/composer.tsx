'use client';
import { ClipboardEvent, FormEvent, KeyboardEvent, useLayoutEffect, useRef, useState } from 'react';
import { EVERYONE, LIMITS, trimMessageBody, type TConversation } from '@chatbox/contracts';
import { applyCompletion, completionAt, CompletionQuery, emojiMatches, isolate, peopleMatches } from '@chatbox/web-util';
import { Icon } from '@chatbox/web-ui';
import { useChat, useStore } from './chat-context';
import { CompletionList, CompletionOption } from './completion-list';
import { UploadList, useUploads } from './upload-list';
import { MentionPerson, useMentionPeople } from './use-mention-people';

const SHOW_COUNT_FROM = LIMITS.bodyMax - 500;
const MAX_HEIGHT_PX = 200;

/**
 * A touch screen's on-screen keyboard has no Shift: there Enter starts a new line and the Send
 * button sends. With a mouse or trackpad (a keyboard at hand) Enter sends.
 */
const isTouchFirst = (): boolean => typeof window !== 'undefined' && window.matchMedia('(pointer: coarse)').matches;

/** Where a composer keeps its draft and its files: a thread's are its own, not the conversation's. */
export const composerKey = (conversationId: string, threadRootId?: string): string => (threadRootId ? `${conversationId}/thread/${threadRootId}` : conversationId);

/**
 * Enter sends (a new line on touch screens), Shift+Enter starts a new line; the draft survives
 * switching conversations. Files come by the attach button, by pasting (a screenshot) or by
 * dropping them on the conversation; a message may be files alone, and waits for their uploads.
 */
export function Composer({ conversationId, label, threadRootId }: { conversationId: string; label: string; threadRootId?: string }) {
  const conv = useChat((s) => s.conversations.find((c) => c.id === conversationId));
  if (!conv) return null;
  return <ComposerFor conv={conv} label={label} threadRootId={threadRootId} />;
}

function ComposerFor({ conv, label, threadRootId }: { conv: TConversation; label: string; threadRootId?: string }) {
  const conversationId = conv.id;
  const store = useStore();
  const draftKey = composerKey(conversationId, threadRootId);
  const [text, setText] = useState(() => store.drafts.get(draftKey));
  const tray = store.uploads.for(draftKey);
  const uploads = useUploads(tray);
  const uploading = uploads.items.some((i) => i.status === 'uploading');
  const hasFiles = uploads.items.some((i) => i.status === 'done');
  const picker = useRef<HTMLInputElement>(null);
  const [touch] = useState(isTouchFirst);
  const area = useRef<HTMLTextAreaElement>(null);
  const length = trimMessageBody(text).length;
  const tooLong = length > LIMITS.bodyMax;
  const hintId = threadRootId ? 'thread-composer-hint' : 'composer-hint';
  const listId = threadRootId ? 'thread-composer-suggestions' : 'composer-suggestions';
  const [caret, setCaret] = useState(text.length);
  const completion = useCompletion(conv, text, caret);
  const nextCaret = useRef<number | null>(null);
  // "Ask anonymously" (a group with anonymousQuestions, not in a thread): off again in another conversation
  const [anonymousIn, setAnonymousIn] = useState<string | null>(null);
  const offersAnonymous = conv.anonymousQuestions && !threadRootId;
  const anonymous = offersAnonymous && anonymousIn === conversationId;

  useLayoutEffect(() => {
    if (nextCaret.current === null || !area.current) return;
    area.current.setSelectionRange(nextCaret.current, nextCaret.current);
    setCaret(nextCaret.current);
    nextCaret.current = null;
  }, [text]);

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
    // "is typing" would name who is about to ask
    if (value.trim() && !anonymous) store.typed(conversationId);
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const body = trimMessageBody(text);
    if ((!body && !hasFiles) || tooLong || uploading) return;
    const attachments = tray.take();
    if (threadRootId) store.sendReply(conversationId, threadRootId, body, attachments);
    else store.send(conversationId, body, { attachments, anonymous });
    update('');
  };

  // a pasted screenshot (or copied files) is attached; pasted text stays text
  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = [...e.clipboardData.files];
    if (files.length === 0) return;
    e.preventDefault();
    tray.add(files);
  };

  const pick = (option: CompletionOption) => {
    if (!completion.at) return;
    const next = applyCompletion(text, completion.at, option.insert);
    nextCaret.current = next.caret;
    update(next.text);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (completion.open && !e.nativeEvent.isComposing) {
      const n = completion.options.length;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        completion.setActive((completion.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey) {
        e.preventDefault();
        pick(completion.options[completion.active]);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        completion.dismiss();
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !touch && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <form className={anonymous ? 'composer anonymous' : 'composer'} onSubmit={submit}>
      <UploadList tray={tray} items={uploads.items} refusal={uploads.refusal} />
      {completion.open && (
        <CompletionList
          id={listId}
          options={completion.options}
          active={completion.active}
          onPick={pick}
          label={completion.at?.trigger === '@' ? 'People to mention' : 'Emoji'}
        />
      )}
      <textarea
        ref={area}
        rows={1}
        value={text}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={completion.open}
        aria-controls={completion.open ? listId : undefined}
        aria-activedescendant={completion.open ? `${listId}-${completion.active}` : undefined}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onBlur={() => completion.dismiss()}
        aria-label={threadRootId ? 'Reply in thread' : anonymous ? `Ask ${label} anonymously` : `Message ${label}`}
        placeholder={threadRootId ? 'Reply…' : anonymous ? 'Ask anonymously: nobody will see it was you' : `Message ${isolate(label)}`}
        onChange={(e) => {
          setCaret(e.target.selectionStart);
          update(e.target.value);
        }}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        aria-invalid={tooLong}
        aria-describedby={hintId}
      />
      <div className="composer-footer">
        <button type="button" className="icon-button attach-button" aria-label="Attach files" title="Attach files" onClick={() => picker.current?.click()}>
          <Icon name="paperclip" size={18} />
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          tabIndex={-1}
          aria-hidden="true"
          onChange={(e) => {
            tray.add([...(e.target.files ?? [])]);
            e.target.value = ''; // the same file again is a new pick
          }}
        />
        {offersAnonymous && (
          <label className="anonymous-toggle" title="Nobody, the owner and admins included, sees who asked">
            <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymousIn(e.target.checked ? conversationId : null)} /> Ask anonymously
          </label>
        )}
        <span id={hintId} className={tooLong ? 'composer-hint error' : 'composer-hint'}>
          {length >= SHOW_COUNT_FROM
            ? `${length} / ${LIMITS.bodyMax}`
            : uploading
              ? 'Waiting for the files to upload…'
              : touch
                ? 'Tap Send to send; Enter starts a new line'
                : 'Enter to send, Shift+Enter for a new line'}
        </span>
        <button type="submit" className="primary" disabled={(length === 0 && !hasFiles) || tooLong || uploading}>
          Send
        </button>
      </div>
    </form>
  );
}

/**
 * What the word at the caret may complete to: `@` members (and @everyone where this user may use
 * it), `:` emoji shortcodes. Escape (or leaving the field) closes the list until the next word.
 */
function useCompletion(conv: TConversation, text: string, caret: number) {
  const found = completionAt(text, caret);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [activeState, setActive] = useState({ key: '', index: 0 });
  const at: CompletionQuery | null = found && found.start !== dismissedAt ? found : null;
  const people = useMentionPeople(conv, at?.trigger === '@' ? at.query : null);
  const isAdmin = useChat((s) => s.me.role === 'admin');
  const options = !at ? [] : at.trigger === '@' ? mentionOptions(conv, people, at.query, isAdmin) : emojiOptions(at.query);
  // a new query starts at the top of its list
  const key = at ? `${at.start}:${at.query}` : '';
  const active = activeState.key === key ? Math.min(activeState.index, Math.max(0, options.length - 1)) : 0;
  return {
    at,
    options,
    open: options.length > 0,
    active,
    setActive: (index: number) => setActive({ key, index }),
    dismiss: () => setDismissedAt(found?.start ?? null),
  };
}

function mentionOptions(conv: TConversation, people: MentionPerson[], query: string, isAdmin: boolean): CompletionOption[] {
  const options: CompletionOption[] = peopleMatches(people, query).map((p) => ({ id: p.id, insert: `@${p.username}`, label: p.displayName, detail: `@${p.username}` }));
  // @everyone in all is for admins (a 403 otherwise): offered there to admins only
  if ((conv.kind !== 'all' || isAdmin) && EVERYONE.startsWith(query.toLowerCase())) {
    options.push({ id: EVERYONE, insert: `@${EVERYONE}`, label: 'everyone', detail: 'everyone here' });
  }
  return options;
}

const emojiOptions = (query: string): CompletionOption[] =>
  emojiMatches(query).map((e) => ({ id: e.code, insert: e.emoji, label: `:${e.code}:`, icon: e.emoji }));
