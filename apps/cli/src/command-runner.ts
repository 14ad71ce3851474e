import type { TConversation, TMessage, TMessageSearchHit, TUser } from '@chatbox/contracts';
import { Command, helpText, Target } from './command-parser';
import type { ChatSession } from './chat-session';
import { conversationLabel, formatGroup, formatMessage, formatUser } from './message-line';
import { ApiError } from './rest-client';

/** How a command ends the program (the app owns the process). */
export type Exits = { quit: () => void; logout: () => Promise<void> };

/** Carries out one typed command against the api, saying on screen what happened. */
export class CommandRunner {
  constructor(
    private readonly s: ChatSession,
    private readonly exits: Exits,
  ) {}

  private get rest() {
    return this.s.rest;
  }

  async execute(command: Command): Promise<void> {
    const say = (text: string) => this.s.say(text);
    switch (command.kind) {
      case 'empty':
        return;
      case 'error':
        return say(command.message);
      case 'send': {
        const c = command.target ? await this.resolve(command.target) : this.s.openConversation();
        if (!c) return;
        // said here rather than as the api's 400: the conversation says whether it takes them
        if (command.anonymous && !c.anonymousQuestions) return say(`${conversationLabel(c)} does not take anonymous questions (its owner may turn them on).`);
        this.s.sync.receive(await this.rest.send(c.id, command.body, undefined, command.anonymous));
        return;
      }
      case 'open': {
        const c = await this.resolve(command.target);
        if (c) await this.s.open(c);
        return;
      }
      case 'list':
        for (const c of await this.rest.conversations()) this.s.track(c);
        return this.s.printList();
      case 'join': {
        const hits = (await this.rest.groups(command.group)).items;
        const group = hits.find((g) => g.name.toLowerCase() === command.group.toLowerCase() && g.visibility === 'public');
        if (!group) return say(`no public group is named "${command.group}" (/search ${command.group} to look around)`);
        const c = await this.rest.join(group.id);
        this.s.track(c);
        return this.s.open(c);
      }
      case 'leave': {
        const c = this.groupFor(command.group);
        if (!c) return;
        await this.rest.removeMember(c.id, this.s.me.id);
        this.s.drop(c.id);
        return say(`You left ${conversationLabel(c)}.`);
      }
      case 'create': {
        const c = await this.rest.createGroup(command.name, command.visibility);
        this.s.track(c);
        say(`Created ${conversationLabel(c)} (${command.visibility}); /add people to it.`);
        return this.s.open(c);
      }
      case 'add':
      case 'remove': {
        const c = this.groupFor(command.group);
        const users = c ? await this.findUsers(command.usernames) : [];
        if (!c || users.length === 0) return;
        if (command.kind === 'add') await this.rest.addMembers(c.id, users.map((u) => u.id));
        else for (const u of users) await this.rest.removeMember(c.id, u.id);
        const names = users.map((u) => u.username).join(', ');
        return say(command.kind === 'add' ? `Added ${names} to ${conversationLabel(c)}.` : `Removed ${names} from ${conversationLabel(c)}.`);
      }
      case 'members': {
        const c = this.groupFor(command.group);
        if (!c) return;
        const members = (await this.rest.members(c.id)).items;
        members.forEach((m) => this.s.directory.usernames.add(m.user.username));
        return say([`Members of ${conversationLabel(c)}:`, ...members.map((m) => `${formatUser(m.user)}${m.role === 'owner' ? ' owner' : ''}`)].join('\n'));
      }
      case 'online': {
        const users = (await this.rest.online()).items;
        users.forEach((u) => this.s.directory.usernames.add(u.username));
        return say(users.length === 0 ? 'Nobody is online.' : ['Online now:', ...users.map(formatUser)].join('\n'));
      }
      case 'search':
        return this.search(command.query);
      case 'react': {
        const c = this.s.openConversation();
        const m = c && (await this.messageAt(c, command.seq));
        if (!c || !m) return;
        const mine = m.reactions.some((r) => r.emoji === command.emoji && r.userIds.includes(this.s.me.id));
        return this.rest.react(c.id, m.id, command.emoji, !mine);
      }
      case 'reply': {
        const c = this.s.openConversation();
        const m = c && (await this.messageAt(c, command.seq));
        if (!c || !m) return;
        this.s.sync.receive(await this.rest.send(c.id, command.body, m.threadRootId ?? m.id));
        return;
      }
      case 'help':
        return say(helpText());
      case 'logout':
        return this.exits.logout();
      case 'quit':
        return this.exits.quit();
    }
  }

  /** `@user` (opening the direct conversation when there is none yet) or `#group`. */
  private async resolve(target: Target): Promise<TConversation | undefined> {
    if (target.kind === 'group') {
      const c = this.s.directory.group(target.name);
      if (!c) this.s.say(`You are not in a group named "${target.name}" (/join ${target.name} joins a public one).`);
      return c;
    }
    const known = this.s.directory.direct(target.username);
    if (known) return known;
    const [user] = await this.findUsers([target.username]);
    if (!user) return undefined;
    if (user.id === this.s.me.id) return void this.s.say('That is you.');
    const c = await this.rest.openDirect(user.id);
    this.s.track(c);
    return c;
  }

  /** A group by name, or the open conversation when none is named; only groups. */
  private groupFor(name: string | null): TConversation | undefined {
    const c = name === null ? this.s.openConversation() : this.s.directory.group(name);
    if (name !== null && !c) this.s.say(`You are not in a group named "${name}".`);
    if (c && c.kind !== 'group') {
      this.s.say(`${conversationLabel(c)} is not a group.`);
      return undefined;
    }
    return c;
  }

  /** Users by exact username (any case); names nobody has are reported. */
  private async findUsers(usernames: string[]): Promise<TUser[]> {
    const found: TUser[] = [];
    for (const name of usernames) {
      const user = (await this.rest.users(name)).items.find((u) => u.username.toLowerCase() === name.toLowerCase());
      if (user) found.push(user);
      else this.s.say(`Nobody is called "${name}".`);
    }
    return found;
  }

  private async messageAt(c: TConversation, seq: number): Promise<TMessage | undefined> {
    const m = this.s.sync.bySeq(c.id, seq) ?? (await this.rest.history(c.id, { around: seq, limit: 1 })).items.find((x) => x.seq === seq);
    if (!m) this.s.say(`${conversationLabel(c)} has no message [${seq}].`);
    return m;
  }

  /** People and groups by name (version 1), messages by content (API.md "Search") where the server has it. */
  private async search(query: string): Promise<void> {
    const [users, groups] = await Promise.all([this.rest.users(query), this.rest.groups(query)]);
    users.items.forEach((u) => this.s.directory.usernames.add(u.username));
    const out = [`People matching "${query}":`, ...(users.items.length ? users.items.map(formatUser) : ['  none'])];
    out.push(`Groups matching "${query}":`, ...(groups.items.length ? groups.items.map(formatGroup) : ['  none']));
    try {
      const hits = (await this.rest.searchMessages(query)).items;
      const lines = hits.map((h) => `  ${formatMessage(h.message, { label: this.searchLabel(h.conversation) })}`);
      out.push(`Messages matching "${query}":`, ...(lines.length ? lines : ['  none']));
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) throw err;
      out.push('Messages: message search is not available on this server.');
    }
    this.s.say(out.join('\n'));
  }

  /** A hit's conversation as this client names it (a direct one by its peer), else as the hit does. */
  private searchLabel(c: TMessageSearchHit['conversation']): string {
    return this.s.directory.get(c.id) ? this.s.directory.label(c.id) : conversationLabel({ ...c, peer: undefined });
  }
}
