import type { TConversation, TMessage, TUser } from '@chatbox/contracts';

/**
 * What the hover/keyboard actions of a message offer this user (the server decides again).
 * `ownAnonymous`: an anonymous message this browser sent (OwnAnonymous); nothing else tells.
 */
export function actionsFor(m: TMessage, me: TUser, conv: Pick<TConversation, 'kind' | 'role'> | undefined, ownAnonymous = false) {
  const live = m.deletedAt === null;
  const own = (!m.anonymous && m.sender.id === me.id) || ownAnonymous;
  return {
    react: live,
    reply: live && m.threadRootId === null,
    edit: live && own,
    // the sender, the owner of a group, or an admin (API.md: DELETE .../messages/:id)
    delete: live && (own || me.role === 'admin' || (conv?.kind === 'group' && conv.role === 'owner')),
  };
}

/** Clicking a chip: adds my reaction, or takes it back when I already reacted with that emoji. */
export const hasReacted = (m: TMessage, emoji: string, selfId: string): boolean =>
  m.reactions.some((r) => r.emoji === emoji && r.userIds.includes(selfId));

/** The curated picker; anything else is typed as a :shortcode:. */
export const PICKER_EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '😢', '🙏', '👀', '🔥', '✅', '👎', '🚀'] as const;

/** `:tada:` and `🎉` from the same set are one reaction; an unknown :shortcode: is kept as typed. */
const SHORTCODES: Readonly<Record<string, string>> = {
  '+1': '👍', thumbsup: '👍', heart: '❤️', joy: '😂', tada: '🎉', open_mouth: '😮', cry: '😢', pray: '🙏',
  eyes: '👀', fire: '🔥', white_check_mark: '✅', '-1': '👎', thumbsdown: '👎', rocket: '🚀',
};

/** The picker's free input: `:name:` (or `name`) to an emoji we know, else `:name:`; null when not valid. */
export function emojiFromInput(input: string): string | null {
  const name = input.trim().replace(/^:|:$/g, '').toLowerCase();
  if (!/^[a-z0-9_+-]{1,32}$/.test(name)) return null;
  return SHORTCODES[name] ?? `:${name}:`;
}
