'use client';
import { FormEvent, KeyboardEvent, useEffect, useRef, useState } from 'react';
import { emojiFromInput, PICKER_EMOJI } from '@chatbox/web-data-access';

/**
 * A small reaction picker: a curated grid (arrow keys move, Enter picks) and a `:shortcode:`
 * field for anything else. Escape closes it and gives focus back to the button that opened it.
 */
export function EmojiPicker({ onPick, onClose }: { onPick: (emoji: string) => void; onClose: () => void }) {
  const grid = useRef<HTMLDivElement>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  useEffect(() => grid.current?.querySelector<HTMLButtonElement>('button')?.focus(), []);

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
      return;
    }
    const buttons = [...(grid.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (i < 0) return;
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: 6, ArrowUp: -6 }[e.key];
    if (step === undefined) return;
    e.preventDefault();
    buttons[(i + step + buttons.length) % buttons.length]?.focus();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const emoji = emojiFromInput(code);
    if (!emoji) return setError('Type a :shortcode: of letters, digits, _, + or -');
    onPick(emoji);
  };

  return (
    <div className="emoji-picker" role="dialog" aria-label="Add a reaction" onKeyDown={onKey}>
      <div className="emoji-grid" ref={grid} role="group" aria-label="Emoji">
        {PICKER_EMOJI.map((emoji) => (
          <button key={emoji} type="button" className="emoji-option" aria-label={`React with ${emoji}`} onClick={() => onPick(emoji)}>
            {emoji}
          </button>
        ))}
      </div>
      <form className="emoji-code" onSubmit={submit}>
        <input value={code} onChange={(e) => (setCode(e.target.value), setError(''))} aria-label="Emoji shortcode" placeholder=":shortcode:" aria-invalid={!!error} aria-describedby="emoji-code-error" />
        <button type="submit" className="secondary">
          Add
        </button>
      </form>
      <p id="emoji-code-error" className="field-error" role={error ? 'alert' : undefined}>
        {error}
      </p>
    </div>
  );
}
