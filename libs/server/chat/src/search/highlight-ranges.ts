import type { TTextRange } from '@chatbox/contracts';

/**
 * ts_headline marks matched words with these; the body handed to it has them replaced by spaces
 * first (the same length), so every one in its answer is a mark.
 */
export const MARK_START = '\u0001';
export const MARK_END = '\u0002';

/**
 * The marked words of ts_headline's answer as ranges of `body`: the answer is the body with marks
 * inserted. Nothing is marked when it is not (a safety net: a range must never cut the text wrong).
 */
export function highlightRanges(body: string, marked: string): TTextRange[] {
  const ranges: TTextRange[] = [];
  let plain = '';
  let start: number | undefined;
  for (const ch of marked) {
    if (ch === MARK_START) start = plain.length;
    else if (ch === MARK_END && start !== undefined) {
      if (plain.length > start) ranges.push({ start, end: plain.length });
      start = undefined;
    } else plain += ch;
  }
  return plain === body.replaceAll(MARK_START, ' ').replaceAll(MARK_END, ' ') ? ranges : [];
}
