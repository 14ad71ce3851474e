import type { TConversation, TConversationEvent, TMessage, TUser } from '@chatbox/contracts';
import { Command, helpText, parseCommand, Target } from './command-parser';
import { commandCandidates, completionHits, completionRequest } from './completion';
import { ConversationDirectory } from './conversation-directory';
import { ConversationSync, SyncEvent } from './conversation-sync';
import { connectLive } from './live-connection';
import { conversationLabel, formatChange, formatConversationRow, formatGroup, formatMessage, formatUser } from './message-line';
import { ApiError, MessageSearchHit, RestClient } from './rest-client';
import type { SessionFile } from './session-file';
import type { Terminal } from './terminal';

const HISTORY_SHOWN = 20;

/** The chat, once signed in: typed lines become commands, live events become printed lines. */
export class ChatApp {
  private readonly directory = new ConversationDirectory();
  private readonly sync: ConversationSync;
  private current: string | null = null;
  private queue: Promise<void> = Promise.resolve();
  private disconnect: () => void = () => undefined;
  private closing = false;

  constructor(
    private readonly terminal: Terminal,
    private readonly rest: RestClient,
    private readonly sessions: SessionFile,
    private readonly me: TUser,
  ) {
    this.sync = new ConversationSync((id, after) => rest.changes(id, after), (e) => this.show(e));
  }

  async start(): Promise<void> {
    for (const c of await this.rest.conversations()) this.track(c);
    this.terminal.print(`Logged in as ${this.me.username}. /help lists the commands; Tab completes them.`);
    this.printList();
    this.terminal.completer = (line) => this.complete(line);
    // one command at a time, in the order typed (sends keep their order)
    this.terminal.onLine((line) => (this.queue = this.queue.then(() => this.run(parseCommand(line, this.directory.groupNames())))));
    this.terminal.onInterrupt(() => this.quit());
    this.terminal.onClose(() => this.quit());
    this.terminal.setPrompt('> ');
    this.terminal.prompt();
    this.disconnect = connectLive(this.rest.apiUrl, this.rest.token ?? '', {
      message: (m) => this.sync.receive(m),
      conversation: (e) => this.onConversation(e),
      connected: (again) => {
        if (again) this.queue = this.queue.then(() => this.catchUp());
      },
      disconnected: (reason) => {
        if (!this.closing) this.terminal.print(`connection lost (${reason}); reconnecting...`);
      },
      unauthorized: () => void this.endSession('The server ended this session; run chatbox again to log in.'),
    });
  }

  private async run(command: Command): Promise<void> {
    try {
      await this.execute(command);
    } catch (err) {
      // the session goes on: a failed command is reported, never the end of the client
      this.terminal.print(`error: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async execute(command: Command): Promise<void> {
    const say = (text: string) => this.terminal.print(text);
    switch (command.kind) {
      case 'empty':
        return;
      case 'error':
        return say(command.message);
      case 'send': {
        const c = command.target ? await this.resolve(command.target) : this.openConversation();
        if (c) this.sync.receive(await this.rest.send(c.id, command.body));
        return;
      }
      case 'open': {
        const c = await this.resolve(command.target);
        if (c) await this.open(c);
        return;
      }
      case 'list':
        for (const c of await this.rest.conversations()) this.track(c);
        return this.printList();
      case 'join': {
        const hits = (await this.rest.groups(command.group)).items;
        const group = hits.find((g) => g.name.toLowerCase() === command.group.toLowerCase() && g.visibility === 'public');
        if (!group) return say(`no public group is named "${command.group}" (/search ${command.group} to look around)`);
        const c = await this.rest.join(group.id);
        this.track(c);
        return this.open(c);
      }
      case 'leave': {
        const c = this.groupFor(command.group);
        if (!c) return;
        await this.rest.removeMember(c.id, this.me.id);
        this.drop(c.id);
        return say(`You left ${conversationLabel(c)}.`);
      }
      case 'create': {
        const c = await this.rest.createGroup(command.name, command.visibility);
        this.track(c);
        say(`Created ${conversationLabel(c)} (${command.visibility}); /add people to it.`);
        return this.open(c);
      }
      case 'add':
      case 'remove': {
        const c = this.groupFor(command.group);
        if (!c) return;
        const users = await this.findUsers(command.usernames);
        if (users.length === 0) return;
        if (command.kind === 'add') await this.rest.addMembers(c.id, users.map((u) => u.id));
        else for (const u of users) await this.rest.removeMember(c.id, u.id);
        return say(`${command.kind === 'add' ? 'Added' : 'Removed'} ${users.map((u) => u.username).join(', ')} ${command.kind === 'add' ? 'to' : 'from'} ${conversationLabel(c)}.`);
      }
      case 'members': {
        const c = this.groupFor(command.group);
        if (!c) return;
        const members = (await this.rest.members(c.id)).items;
        members.forEach((m) => this.directory.usernames.add(m.user.username));
        return say([`Members of ${conversationLabel(c)}:`, ...members.map((m) => `${formatUser(m.user)}${m.role === 'owner' ? ' owner' : ''}`)].join('\n'));
      }
      case 'online': {
        const users = (await this.rest.online()).items;
        users.forEach((u) => this.directory.usernames.add(u.username));
        return say(users.length === 0 ? 'Nobody is online.' : ['Online now:', ...users.map(formatUser)].join('\n'));
      }
      case 'search':
        return this.search(command.query);
      case 'react': {
        const c = this.openConversation();
        const m = c && (await this.messageAt(c, command.seq));
        if (!c || !m) return;
        const mine = m.reactions.some((r) => r.emoji === command.emoji && r.userIds.includes(this.me.id));
        return this.rest.react(c.id, m.id, command.emoji, !mine);
      }
      case 'reply': {
        const c = this.openConversation();
        const m = c && (await this.messageAt(c, command.seq));
        if (!c || !m) return;
        this.sync.receive(await this.rest.send(c.id, command.body, m.threadRootId ?? m.id));
        return;
      }
      case 'help':
        return say(helpText());
      case 'logout':
        await this.rest.logout().catch(() => undefined);
        return this.endSession('Logged out; the session is forgotten on this computer.');
      case 'quit':
        return this.quit();
    }
  }

  /** Follows a conversation: known by name, caught up by the change stream from now on. */
  private track(c: TConversation): void {
    this.directory.upsert(c);
    this.sync.track(c);
  }

  private drop(id: string): void {
    this.directory.remove(id);
    this.sync.forget(id);
    if (this.current === id) this.setCurrent(null);
  }

  private setCurrent(c: TConversation | null): void {
    this.current = c?.id ?? null;
    this.terminal.setPrompt(c ? `${conversationLabel(c)}> ` : '> ');
  }

  private openConversation(): TConversation | undefined {
    const c = this.current ? this.directory.get(this.current) : undefined;
    if (!c) this.terminal.print('No conversation is open: /open #group or @user first (or write #group text / @user text).');
    return c;
  }

  private groupFor(name: string | null): TConversation | undefined {
    const c = name === null ? this.openConversation() : this.directory.group(name);
    if (name !== null && !c) this.terminal.print(`You are not in a group named "${name}".`);
    if (c && c.kind !== 'group') {
      this.terminal.print(`${conversationLabel(c)} is not a group.`);
      return undefined;
    }
    return c;
  }

  /** `@user` (opening the direct conversation when there is none yet) or `#group`. */
  private async resolve(target: Target): Promise<TConversation | undefined> {
    if (target.kind === 'group') {
      const c = this.directory.group(target.name);
      if (!c) this.terminal.print(`You are not in a group named "${target.name}" (/join ${target.name} joins a public one).`);
      return c;
    }
    const known = this.directory.direct(target.username);
    if (known) return known;
    const [user] = await this.findUsers([target.username]);
    if (!user) return undefined;
    if (user.id === this.me.id) return void this.terminal.print('That is you.');
    const c = await this.rest.openDirect(user.id);
    this.track(c);
    return c;
  }

  /** Users by exact username (any case); names nobody has are reported. */
  private async findUsers(usernames: string[]): Promise<TUser[]> {
    const found: TUser[] = [];
    for (const name of usernames) {
      const user = (await this.rest.users(name)).items.find((u) => u.username.toLowerCase() === name.toLowerCase());
      if (user) found.push(user);
      else this.terminal.print(`Nobody is called "${name}".`);
    }
    return found;
  }

  private async messageAt(c: TConversation, seq: number): Promise<TMessage | undefined> {
    const m = this.sync.bySeq(c.id, seq) ?? (await this.rest.history(c.id, { around: seq, limit: 1 })).items.find((x) => x.seq === seq);
    if (!m) this.terminal.print(`${conversationLabel(c)} has no message [${seq}].`);
    return m;
  }

  private async open(c: TConversation): Promise<void> {
    this.setCurrent(c);
    const { items } = await this.rest.history(c.id, { limit: HISTORY_SHOWN });
    this.sync.remember(items);
    const lines = items.map((m) => this.line(m));
    this.terminal.print([`--- ${conversationLabel(c)}: ${items.length === 0 ? 'no messages yet' : `the last ${items.length} messages`} ---`, ...lines].join('\n'));
    const last = items.at(-1);
    if (last && last.seq > c.readSeq) await this.markRead(c, last.seq);
  }

  private async markRead(c: TConversation, seq: number): Promise<void> {
    await this.rest.markRead(c.id, seq);
    this.directory.upsert({ ...c, readSeq: Math.max(c.readSeq, seq), unread: 0 });
  }

  private async search(query: string): Promise<void> {
    const [users, groups] = await Promise.all([this.rest.users(query), this.rest.groups(query)]);
    users.items.forEach((u) => this.directory.usernames.add(u.username));
    const out = [`People matching "${query}":`, ...(users.items.length ? users.items.map(formatUser) : ['  none'])];
    out.push(`Groups matching "${query}":`, ...(groups.items.length ? groups.items.map(formatGroup) : ['  none']));
    try {
      const hits = (await this.rest.searchMessages(query)).items;
      out.push(`Messages matching "${query}":`, ...(hits.length ? hits.map((h) => `  ${formatMessage(h.message, { label: this.searchLabel(h.conversation) })}`) : ['  none']));
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) throw err;
      out.push('Messages: message search is not available on this server.');
    }
    this.terminal.print(out.join('\n'));
  }

  /** A hit's conversation as this client names it (a direct one by its peer), else as the hit does. */
  private searchLabel(c: MessageSearchHit['conversation']): string {
    return this.directory.get(c.id) ? this.directory.label(c.id) : conversationLabel({ ...c, peer: undefined });
  }

  private line(m: TMessage): string {
    const root = m.threadRootId ? this.sync.byId(m.threadRootId) : undefined;
    return formatMessage(m, { label: this.directory.label(m.conversationId), rootSeq: root?.seq });
  }

  private show(event: SyncEvent): void {
    if (event.kind === 'changed') {
      const root = event.after.threadRootId ? this.sync.byId(event.after.threadRootId) : undefined;
      const text = formatChange(event.before, event.after, { label: this.directory.label(event.after.conversationId), rootSeq: root?.seq });
      if (text) this.terminal.print(text);
      return;
    }
    const m = event.message;
    this.terminal.print(this.line(m));
    const c = this.directory.get(m.conversationId);
    if (!c || m.sender.id === this.me.id) return;
    if (c.id === this.current) void this.markRead(c, m.seq).catch(() => undefined);
    else this.directory.upsert({ ...c, unread: c.unread + 1, lastMessage: m });
  }

  private onConversation({ change, conversation: c }: TConversationEvent): void {
    if (change === 'removed') {
      if (!this.directory.get(c.id)) return;
      this.drop(c.id);
      return this.terminal.print(`You are no longer in ${conversationLabel(c)}.`);
    }
    const isNew = !this.directory.get(c.id);
    this.track(c);
    if (isNew && change === 'added' && c.kind !== 'direct') this.terminal.print(`You are now in ${conversationLabel(c)}.`);
  }

  /** After a lost connection: what changed meanwhile, conversation by conversation. */
  private async catchUp(): Promise<void> {
    try {
      const list = await this.rest.conversations();
      const known = new Set(this.directory.all().map((c) => c.id));
      for (const c of list) this.directory.upsert(c);
      for (const id of known) if (!list.some((c) => c.id === id)) this.drop(id);
      const added = await this.sync.catchUp(list);
      const news = added.map((c) => formatConversationRow(c).trim());
      this.terminal.print(`Reconnected.${news.length ? ` New: ${news.join(', ')}` : ''}`);
    } catch (err) {
      this.terminal.print(`Reconnected, but catching up failed (${err instanceof Error ? err.message : String(err)}); /list tries again.`);
    }
  }

  private printList(): void {
    this.terminal.print(['Your conversations (@user or #group opens one):', ...this.directory.all().map(formatConversationRow)].join('\n'));
  }

  private async complete(line: string): Promise<[string[], string]> {
    const request = completionRequest(line, this.directory.groupNames());
    if (!request) return [[], line];
    const candidates = new Set<string>();
    switch (request.kind) {
      case 'command':
        commandCandidates().forEach((n) => candidates.add(n));
        break;
      case 'group':
        this.directory.groupNames().forEach((n) => candidates.add(n));
        break;
      case 'user':
        this.directory.usernames.forEach((n) => candidates.add(n));
        for (const u of (await this.rest.users(request.partial).catch(() => ({ items: [] as TUser[] }))).items) {
          this.directory.usernames.add(u.username);
          candidates.add(u.username);
        }
        break;
      case 'joinable-group':
        for (const g of (await this.rest.groups(request.partial).catch(() => ({ items: [] }))).items) if (g.visibility === 'public') candidates.add(g.name);
        break;
    }
    return [completionHits(request, candidates), request.substring];
  }

  private async endSession(message: string): Promise<void> {
    await this.sessions.forget(this.rest.apiUrl);
    this.terminal.print(message);
    this.quit(1);
  }

  quit(code = 0): void {
    if (this.closing) return;
    this.closing = true;
    this.disconnect();
    this.terminal.close();
    process.exitCode = code;
    // the socket and any request in flight end with the process
    setImmediate(() => process.exit(code));
  }
}
