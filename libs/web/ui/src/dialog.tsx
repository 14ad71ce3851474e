'use client';
import { KeyboardEvent, ReactNode, useEffect, useRef } from 'react';

const TABBABLE = 'a[href], button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';
const FIELD = 'input:not([disabled]):not([type="radio"]):not([type="checkbox"]), textarea:not([disabled]), select:not([disabled])';

const tabbables = (root: HTMLElement) => [...root.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement);

/**
 * A modal dialog: labelled, closes on Escape and on the backdrop. It opens with focus in its
 * first field (so typing goes there at once), else on its first control after the header; Tab
 * and Shift+Tab go round inside it while it is open, as aria-modal promises; on closing, focus
 * goes back to where it was. A title with markup in it (a <bdi> name) gives its plain text as
 * `label`.
 */
export function Dialog({ title, label, onClose, children, wide = false }: { title: ReactNode; label?: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const root = ref.current;
    const first = root?.querySelector<HTMLElement>(FIELD) ?? root?.querySelector<HTMLElement>(`.dialog-body :is(${TABBABLE})`) ?? root;
    first?.focus();
    const onKey = (e: globalThis.KeyboardEvent) => e.key === 'Escape' && close.current();
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      previous?.focus?.();
    };
  }, []);

  const trapTab = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'Tab' || !ref.current) return;
    const inside = tabbables(ref.current);
    if (inside.length === 0) return e.preventDefault();
    const [first, last] = [inside[0], inside[inside.length - 1]];
    const at = document.activeElement;
    if (e.shiftKey && (at === first || at === ref.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && at === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        className={wide ? 'dialog wide' : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-label={label ?? (typeof title === 'string' ? title : undefined)}
        tabIndex={-1}
        onKeyDown={trapTab}
      >
        <header className="dialog-header">
          <h2>{title}</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <div className="dialog-body">{children}</div>
      </div>
    </div>
  );
}
