/** Escapes LIKE's wildcards so user input only ever matches itself. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/**
 * The least string above every string that starts with key, in code point (= UTF-8 byte) order as
 * the ~<~ operator compares: key with its last character incremented. None when key consists of
 * U+10FFFF only (or is empty): then every string from key on starts with it.
 */
export function prefixUpperBound(key: string): string | undefined {
  const chars = [...key];
  while (chars.length > 0) {
    const last = chars.pop()!.codePointAt(0)!;
    // text holds no surrogates: the character after U+D7FF is U+E000
    if (last < 0x10ffff) return chars.join('') + String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1);
  }
  return undefined;
}
