/** A stretch of text and whether a search matched it. */
export type MarkedPart = { text: string; marked: boolean };

type Range = { start: number; end: number };

/**
 * The part of a (possibly long) text worth showing for a search hit: about `max` characters from
 * a little before its first matched word, split into marked and plain parts. Ranges that run off
 * the text or overlap are ignored; an ellipsis shows what was cut.
 */
export function highlightExcerpt(text: string, ranges: readonly Range[], max = 200, lead = 40): MarkedPart[] {
  const valid = ranges.filter((r, i) => r.start >= 0 && r.end <= text.length && r.start < r.end && (i === 0 || r.start >= ranges[i - 1].end));
  let from = Math.max(0, (valid[0]?.start ?? 0) - lead);
  // start at a word: after the nearest space before `from` (not splitting a surrogate pair either)
  if (from > 0) {
    const space = text.lastIndexOf(' ', from);
    from = space >= 0 && from - space < lead ? space + 1 : from;
    if (/[\uDC00-\uDFFF]/.test(text[from] ?? '')) from -= 1;
  }
  let to = Math.min(text.length, from + max);
  if (/[\uD800-\uDBFF]/.test(text[to - 1] ?? '')) to -= 1;
  const parts: MarkedPart[] = [];
  const push = (s: string, marked: boolean) => s && parts.push({ text: s, marked });
  if (from > 0) push('…', false);
  let at = from;
  for (const r of valid) {
    if (r.end <= from) continue;
    if (r.start >= to) break;
    push(text.slice(at, Math.max(at, r.start)), false);
    push(text.slice(Math.max(at, r.start), Math.min(r.end, to)), true);
    at = Math.min(r.end, to);
  }
  push(text.slice(at, to), false);
  if (to < text.length) push('…', false);
  return parts;
}
