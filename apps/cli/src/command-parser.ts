/** Where `@user text` and `#group text` go; a group may be named with spaces. */
export type Target = { kind: 'user'; username: string } | { kind: 'group'; name: string };

export type Command =
  | { kind: 'empty' }
  | { kind: 'error'; message: string }
  /** target null: the open conversation. `anonymous`: without the sender's name (/anon). */
  | { kind: 'send'; target: Target | null; body: string; anonymous?: true }
  | { kind: 'open'; target: Target }
  | { kind: 'list' }
  | { kind: 'join'; group: string }
  | { kind: 'leave'; group: string | null }
  | { kind: 'create'; name: string; visibility: 'public' | 'private' }
  | { kind: 'add' | 'remove'; group: string | null; usernames: string[] }
  | { kind: 'members'; group: string | null }
  | { kind: 'online' }
  | { kind: 'search'; query: string }
  | { kind: 'react'; seq: number; emoji: string }
  | { kind: 'reply'; seq: number; body: string }
  | { kind: 'help' }
  | { kind: 'logout' }
  | { kind: 'quit' };

/** Every slash command, with how it is used: the help text and Tab completion read this. */
export const COMMANDS = [
  ['/open', '#group | @user', 'open a conversation and show its recent messages (so does #group or @user alone)'],
  ['/list', '', 'your conversations, with unread counts'],
  ['/join', 'group', 'join a public group'],
  ['/leave', '[#group]', 'leave a group (the open one if none is named)'],
  ['/create', '[--public] name', 'create a group (private unless --public)'],
  ['/add', '[#group] user...', 'add people to a group you own'],
  ['/remove', '[#group] user', 'remove someone from a group you own'],
  ['/members', '[#group]', 'who is in a group'],
  ['/online', '', 'who is online now'],
  ['/search', 'words', 'find people, groups and messages'],
  ['/react', 'N emoji', 'react to message [N] of the open conversation (again: take it back)'],
  ['/reply', 'N text', 'reply in the thread of message [N]'],
  ['/anon', '[#group] text', 'ask without your name, where the group takes anonymous questions'],
  ['/help', '', 'this list'],
  ['/logout', '', 'end the session and forget it on this computer'],
  ['/quit', '', 'leave ChatBox (the session is kept)'],
] as const;
export const COMMAND_NAMES: readonly string[] = COMMANDS.map(([name]) => name);

/**
 * Reads `#name rest`: the longest known group name that `text` starts with (names may hold
 * spaces), else the first word. `text` is what follows the `#`.
 */
export function splitGroupName(text: string, groupNames: readonly string[]): { name: string; rest: string } {
  const lower = text.toLowerCase();
  let best = '';
  for (const name of groupNames) {
    const n = name.toLowerCase();
    const boundary = lower.length === n.length || /\s/.test(lower[n.length] ?? '');
    if (n.length > best.length && lower.startsWith(n) && boundary) best = text.slice(0, n.length);
  }
  const name = best || (/^\S*/.exec(text)?.[0] ?? '');
  return { name, rest: text.slice(name.length).trim() };
}

const stripAt = (s: string) => s.replace(/^@/, '');

/** An optional leading `#group` (for /add, /remove, /leave, /members); without one, the open group. */
function optionalGroup(args: string, groupNames: readonly string[]): { group: string | null; rest: string } {
  if (!args.startsWith('#')) return { group: null, rest: args };
  const { name, rest } = splitGroupName(args.slice(1), groupNames);
  return { group: name, rest };
}

function parseTarget(text: string, groupNames: readonly string[]): { target: Target; rest: string } | null {
  if (text.startsWith('@')) {
    const m = /^@(\S+)\s*([\s\S]*)$/.exec(text);
    return m ? { target: { kind: 'user', username: m[1] }, rest: m[2] } : null;
  }
  if (text.startsWith('#')) {
    const { name, rest } = splitGroupName(text.slice(1), groupNames);
    return name ? { target: { kind: 'group', name }, rest } : null;
  }
  return null;
}

/**
 * One typed line as a command. `groupNames` are the groups the user is in (to read names with
 * spaces). A line that starts with neither `/`, `@` nor `#` is a message to the open conversation;
 * `//text` sends "/text".
 */
export function parseCommand(line: string, groupNames: readonly string[] = []): Command {
  const text = line.trim();
  if (text === '') return { kind: 'empty' };
  if (text.startsWith('//')) return { kind: 'send', target: null, body: text.slice(1) };
  if (text.startsWith('@') || text.startsWith('#')) {
    const parsed = parseTarget(text, groupNames);
    if (!parsed) return { kind: 'error', message: 'name someone (@user) or a group (#group)' };
    return parsed.rest ? { kind: 'send', target: parsed.target, body: parsed.rest } : { kind: 'open', target: parsed.target };
  }
  if (!text.startsWith('/')) return { kind: 'send', target: null, body: text };

  const [, name, args = ''] = /^(\/\S+)\s*([\s\S]*)$/.exec(text) ?? [];
  const usage = (command: string) => {
    const entry = COMMANDS.find(([n]) => n === command);
    return { kind: 'error' as const, message: `usage: ${command} ${entry?.[1] ?? ''}`.trimEnd() };
  };
  switch (name.toLowerCase()) {
    case '/open': {
      const parsed = parseTarget(args, groupNames) ?? (args ? { target: { kind: 'group' as const, name: args }, rest: '' } : null);
      return parsed ? { kind: 'open', target: parsed.target } : usage('/open');
    }
    case '/list':
      return { kind: 'list' };
    case '/join': {
      const group = args.replace(/^#/, '');
      return group ? { kind: 'join', group } : usage('/join');
    }
    case '/leave':
    case '/members': {
      const group = args.replace(/^#/, '') || null; // the whole rest: nothing follows the name
      return { kind: name.toLowerCase() === '/leave' ? 'leave' : 'members', group };
    }
    case '/create': {
      const visibility = /^--public\b/.test(args) ? 'public' : 'private';
      const groupName = args.replace(/^--(public|private)\b/, '').trim();
      return groupName ? { kind: 'create', name: groupName, visibility } : usage('/create');
    }
    case '/add':
    case '/remove': {
      const { group, rest } = optionalGroup(args, groupNames);
      const usernames = rest.split(/[\s,]+/).filter(Boolean).map(stripAt);
      return usernames.length > 0 ? { kind: name.toLowerCase() === '/add' ? 'add' : 'remove', group, usernames } : usage(name.toLowerCase());
    }
    case '/online':
      return { kind: 'online' };
    case '/search':
      return args ? { kind: 'search', query: args } : usage('/search');
    case '/react': {
      const m = /^\[?(\d+)\]?\s+(\S+)$/.exec(args);
      return m ? { kind: 'react', seq: Number(m[1]), emoji: m[2] } : usage('/react');
    }
    case '/reply': {
      const m = /^\[?(\d+)\]?\s+([\s\S]+)$/.exec(args);
      return m ? { kind: 'reply', seq: Number(m[1]), body: m[2] } : usage('/reply');
    }
    case '/anon': {
      const { group, rest } = optionalGroup(args, groupNames);
      if (!rest) return usage('/anon');
      return { kind: 'send', target: group ? { kind: 'group', name: group } : null, body: rest, anonymous: true };
    }
    case '/help':
    case '/?':
      return { kind: 'help' };
    case '/logout':
      return { kind: 'logout' };
    case '/quit':
    case '/exit':
      return { kind: 'quit' };
    default:
      return { kind: 'error', message: `unknown command ${name}; /help lists them (//text sends text that starts with /)` };
  }
}

/** The /help text. */
export function helpText(): string {
  const width = Math.max(...COMMANDS.map(([n, a]) => `${n} ${a}`.length));
  return [
    'text              send to the open conversation',
    '@user text        send a direct message',
    '#group text       send to a group',
    ...COMMANDS.map(([n, a, what]) => `${`${n} ${a}`.padEnd(Math.max(width, 17))} ${what}`),
    'Tab completes commands, @usernames and #groups.',
  ].join('\n');
}
