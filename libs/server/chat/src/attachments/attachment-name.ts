import { LIMITS } from '@chatbox/contracts';

/** What an upload without a usable name is called. */
export const UNNAMED = 'file';

/**
 * The name an upload is stored and offered under, from whatever the client sent: no folders (the
 * part after the last slash or backslash), no control, format or line-separator characters, no
 * leading dots (hidden files, "..") or surrounding spaces, NFC, and at most LIMITS.attachmentNameMax
 * characters, shortened before the extension so the type stays visible. Never empty.
 */
export function sanitizeFileName(raw: string | undefined): string {
  const base = (raw ?? '').normalize('NFC').split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/^[.\s]+/u, '');
  if (cleaned === '') return UNNAMED;
  const chars = [...cleaned];
  if (chars.length <= LIMITS.attachmentNameMax) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 && cleaned.length - dot <= 16 ? [...cleaned.slice(dot)] : [];
  return chars.slice(0, LIMITS.attachmentNameMax - extension.length).join('').trimEnd() + extension.join('');
}
