/** What the word before the cursor could become: a command, a username, a group name. */
export type CompletionRequest = {
  kind: 'command' | 'user' | 'group' | 'joinable-group';
  /** The name typed so far (without its sigil); what candidates are looked up by. */
  partial: string;
  /** The end of the line that the completion replaces (readline's "substring"). */
  substring: string;
  sigil: '' | '@' | '#';
};

/**
 * Reads the line up to the cursor. `groupNames` (the user's groups) decide whether `#text with
 * spaces` is still a group name being typed or already the message after it.
 */
export function completionRequest(line: string, groupNames: readonly string[]): CompletionRequest | null {
  if (/^\/\S*$/.test(line)) return { kind: 'command', partial: line, substring: line, sigil: '' };
  const join = /^\/join\s+(#?)(.*)$/i.exec(line);
  if (join) return { kind: 'joinable-group', partial: join[2], substring: join[1] + join[2], sigil: join[1] === '#' ? '#' : '' };
  const hash = /(?:^|\s)#([^#@]*)$/.exec(line);
  if (hash && (!/\s/.test(hash[1]) || groupNames.some((n) => startsWithFolded(n, hash[1])))) {
    return { kind: 'group', partial: hash[1], substring: `#${hash[1]}`, sigil: '#' };
  }
  const bareGroup = /^\/(?:leave|members|open)\s+([^#@]*)$/i.exec(line);
  if (bareGroup) return { kind: 'group', partial: bareGroup[1], substring: bareGroup[1], sigil: '' };
  const token = /(\S*)$/.exec(line)?.[1] ?? '';
  if (token.startsWith('@')) return { kind: 'user', partial: token.slice(1), substring: token, sigil: '@' };
  if (/^\/(?:add|remove)\s/i.test(line)) return { kind: 'user', partial: token, substring: token, sigil: '' };
  return null;
}

const startsWithFolded = (name: string, partial: string) => name.toLowerCase().startsWith(partial.toLowerCase());

/**
 * Readline's completer answer: the candidates that start with what was typed (any case), each
 * ending in a space so the next word can follow, sorted, one per name.
 */
export function completionHits(request: CompletionRequest, candidates: Iterable<string>): string[] {
  const seen = new Set<string>();
  const hits: string[] = [];
  for (const name of candidates) {
    const key = name.toLowerCase();
    if (seen.has(key) || !startsWithFolded(name, request.partial)) continue;
    seen.add(key);
    // keep what was typed as typed: readline inserts only what follows it
    hits.push(`${request.substring}${name.slice(request.partial.length)} `);
  }
  return hits.sort((a, b) => a.localeCompare(b));
}
