'use client';
import { useState } from 'react';

/** Copies text to the clipboard and says so (the field beside it can be selected by hand too). */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    navigator.clipboard?.writeText(text).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <button type="button" className="secondary small" onClick={copy} aria-live="polite">
      {copied ? 'Copied' : label}
    </button>
  );
}
