import type { TConversation, TGroupSummary, TMessage, TUser } from '@chatbox/contracts';

/**
 * Text from other people, made safe to print: control characters (ESC first of all: a message
 * must not move the cursor, recolour or retitle the terminal) and invisible direction overrides
 * become "?"; newlines stay, each further line indented under the first.
 */
export function cleanText(text: string, indent = '    '): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/(?![\n\t])[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, '?')
    .replace(/\n/g, `\n${indent}`);
}

/** How a conversation is named on screen and in commands: `@peer` or `#group`. */
export const conversationLabel = (c: Pick<TConversation, 'kind' | 'name' | 'peer'>): string =>
  c.kind === 'direct' ? `@${c.peer?.username ?? c.name}` : `#${c.name}`;

const pad2 = (n: number) => String(n).padStart(2, '0');
/** HH:MM in the terminal's local time. */
export const clock = (iso: string): string => {
  const d = new Date(iso);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
};

const reactionsText = (m: TMessage): string =>
  m.reactions.length === 0 ? '' : ` [${m.reactions.map((r) => `${cleanText(r.emoji)} ${r.userIds.length}`).join(', ')}]`;

/**
 * One message as a line: `12:04 #ops [12] alice: text (edited) [👍 2]`. `[12]` is its seq, what
 * /react and /reply take; a reply shows `↳[7]`, the seq of its thread's root when known.
 */
export function formatMessage(m: TMessage, opts: { label: string; rootSeq?: number }): string {
  const head = `${clock(m.createdAt)} ${cleanText(opts.label)} [${m.seq}] ${cleanText(m.sender.username)}:`;
  if (m.deletedAt) return `${head} (deleted)`;
  const reply = m.threadRootId ? (opts.rootSeq === undefined ? '↳ ' : `↳[${opts.rootSeq}] `) : '';
  const attachments = m.attachments.map((a) => ` [file: ${cleanText(a.name)}]`).join('');
  return `${head} ${reply}${cleanText(m.body)}${attachments}${m.editedAt ? ' (edited)' : ''}${reactionsText(m)}`;
}

/**
 * What changed between two states of a message, as a line; null when nothing worth showing did.
 * `before` is undefined for a message this run never saw (older than what it loaded).
 */
export function formatChange(before: TMessage | undefined, after: TMessage, opts: { label: string; rootSeq?: number }): string | null {
  if (!before) return after.deletedAt || after.editedAt ? formatChange({ ...after, editedAt: null, deletedAt: null }, after, opts) : null;
  if (after.deletedAt && !before.deletedAt) return `${cleanText(opts.label)} [${after.seq}] ${cleanText(after.sender.username)} deleted a message`;
  if (after.editedAt !== before.editedAt && !after.deletedAt) return `edited: ${formatMessage(after, opts)}`;
  if (reactionsText(after) !== reactionsText(before)) return `${cleanText(opts.label)} [${after.seq}] reactions:${reactionsText(after) || ' none'}`;
  return null;
}

/** One row of the conversation list. */
export function formatConversationRow(c: TConversation): string {
  const unread = c.unread > 0 ? `  ${c.unread} unread` : '';
  const members = c.kind === 'direct' ? '' : `  (${c.memberCount} members${c.visibility === 'public' ? ', public' : ''})`;
  return `  ${cleanText(conversationLabel(c))}${members}${unread}`;
}

export const formatUser = (u: Pick<TUser, 'username' | 'displayName' | 'online'>): string =>
  `  ${u.online ? '●' : '○'} ${cleanText(u.username)} (${cleanText(u.displayName)})`;

export const formatGroup = (g: TGroupSummary): string =>
  `  #${cleanText(g.name)}  (${g.memberCount} members, ${g.visibility}${g.role ? ', joined' : ''})`;
