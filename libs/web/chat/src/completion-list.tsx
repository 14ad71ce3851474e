'use client';

export type CompletionOption = { id: string; insert: string; label: string; detail?: string; icon?: string };

/**
 * The suggestions under the composer: a listbox the textarea controls (aria-controls,
 * aria-activedescendant); the keyboard stays in the textarea, a mouse picks with a click.
 */
export function CompletionList({ id, options, active, onPick, label }: { id: string; options: CompletionOption[]; active: number; onPick: (option: CompletionOption) => void; label: string }) {
  return (
    <ul className="completion-list" id={id} role="listbox" aria-label={label}>
      {options.map((option, i) => (
        <li
          key={option.id}
          id={`${id}-${i}`}
          role="option"
          aria-selected={i === active}
          className={i === active ? 'completion-option active' : 'completion-option'}
          // mousedown would take the focus from the textarea (and close the list) before the click
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onPick(option)}
        >
          {option.icon && (
            <span className="completion-icon" aria-hidden>
              {option.icon}
            </span>
          )}
          <span className="completion-label">
            <bdi>{option.label}</bdi>
          </span>
          {option.detail && <span className="completion-detail">{option.detail}</span>}
        </li>
      ))}
    </ul>
  );
}
