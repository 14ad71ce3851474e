import type { TAttachment } from '@chatbox/contracts';

const UNITS = ['KB', 'MB', 'GB'] as const;


/** A size as people read it: "512 B", "1.5 KB", "20 MB" (binary multiples, one decimal below 10). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${shown} ${UNITS[unit]}`;
}

/** Shown inline with a viewer (it has a thumbnail); anything else is a card with a download. */
export const isInlineImage = (a: TAttachment): boolean => a.thumbnailUrl !== null && a.contentType.startsWith('image/');

/**
 * The box a thumbnail takes before it loads (so the list does not jump): the image's own shape,
 * scaled down to fit `max`, never up. Without known dimensions, a square of the smaller side.
 */
export function thumbnailBox(a: Pick<TAttachment, 'width' | 'height'>, max = { width: 360, height: 240 }): { width: number; height: number } {
  if (!a.width || !a.height) return { width: Math.min(max.width, max.height), height: Math.min(max.width, max.height) };
  const scale = Math.min(1, max.width / a.width, max.height / a.height);
  return { width: Math.max(1, Math.round(a.width * scale)), height: Math.max(1, Math.round(a.height * scale)) };
}
