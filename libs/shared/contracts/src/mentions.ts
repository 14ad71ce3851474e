/**
 * Mentions as a body names them (API.md "Mentions and notifications"), before membership decides
 * which names are people of the conversation: the server resolves `usernames` against the
 * conversation's members when it stores the body; clients use the same reading to highlight.
 */
export type TMentionCandidates = {
  /** Lower-cased usernames (the usernameKey form), each once, in order of first appearance. */
  usernames: string[];
  everyone: boolean;
};

/** At most this many distinct names per body are looked up; more is not a conversation. */
export const MENTIONS_PER_MESSAGE_MAX = 50;

export const EVERYONE = 'everyone';

/**
 * `@` not glued to a word or address before it ("mail@bob.com" is no mention), then username
 * characters. Trailing `.` and `-` may be sentence punctuation ("thanks @bob.") or part of the
 * name ("@j.r."): both readings are candidates, and membership decides.
 */
export const MENTION_PATTERN = /(?<![\p{L}\p{N}_.@-])@([a-zA-Z0-9_.-]{1,64})/gu;
/** Code is quoted text: `@x` inside inline code or a fenced block mentions nobody. */
const CODE = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g;

export function mentionCandidates(body: string): TMentionCandidates {
  const names = new Set<string>();
  let everyone = false;
  for (const match of body.replace(CODE, ' ').matchAll(MENTION_PATTERN)) {
    const name = match[1].toLowerCase();
    const bare = name.replace(/[.-]+$/, '');
    if (bare === EVERYONE) {
      everyone = true;
      continue;
    }
    for (const candidate of new Set([name, bare])) {
      if (candidate.length >= 3 && candidate.length <= 32 && names.size < MENTIONS_PER_MESSAGE_MAX) names.add(candidate);
    }
  }
  return { usernames: [...names], everyone };
}
