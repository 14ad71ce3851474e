import type { TConversationEvent, TMessage, TUser } from '@chatbox/contracts';
import { ChatSession } from './chat-session';
import { parseCommand } from './command-parser';
import { CommandRunner } from './command-runner';
import type { SyncEvent } from './conversation-sync';
import { connectLive } from './live-connection';
import { conversationLabel, formatChange, formatConversationRow } from './message-line';
import { completeNames } from './name-completer';
import type { RestClient } from './rest-client';
import type { SessionFile } from './session-file';
import type { Terminal } from './terminal';

/** The chat, once signed in: typed lines become commands, live events become printed lines. */
export class ChatApp {
  private readonly s: ChatSession;
  private readonly commands: CommandRunner;
  private queue: Promise<void> = Promise.resolve();
  private disconnect: () => void = () => undefined;
  private closing = false;

  constructor(
    private readonly terminal: Terminal,
    private readonly rest: RestClient,
    private readonly sessions: SessionFile,
    me: TUser,
  ) {
    this.s = new ChatSession(terminal, rest, me, (e) => this.show(e));
    this.commands = new CommandRunner(this.s, {
      quit: () => this.quit(),
      logout: async () => {
        rest.onUnauthorized = () => undefined; // an already ended session is fine to log out of
        await rest.logout().catch(() => undefined);
        await this.endSession('Logged out; the session is forgotten on this computer.', 0);
      },
    });
  }

  async start(): Promise<void> {
    const ended = () => void this.endSession('The server ended this session; run chatbox again to log in.', 1);
    this.rest.onUnauthorized = ended;
    for (const c of await this.rest.conversations()) this.s.track(c);
    this.s.say(`Logged in as ${this.s.me.username}. /help lists the commands; Tab completes them.`);
    this.s.printList();
    this.terminal.completer = (line) => completeNames(this.s, line);
    // one command at a time, in the order typed (sends keep their order)
    this.terminal.onLine((line) => this.enqueue(() => this.commands.execute(parseCommand(line, this.s.directory.groupNames()))));
    this.terminal.onInterrupt(() => this.quit());
    this.terminal.onClose(() => this.quit());
    this.terminal.setPrompt('> ');
    this.terminal.prompt();
    this.disconnect = connectLive(this.rest.apiUrl, this.rest.token ?? '', {
      message: (m) => this.s.sync.receive(m),
      conversation: (e) => this.onConversation(e),
      connected: (again) => {
        if (again) this.enqueue(() => this.catchUp());
      },
      disconnected: (reason) => {
        if (!this.closing) this.s.say(`connection lost (${reason}); reconnecting...`);
      },
      unauthorized: ended,
    });
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((err: unknown) => {
      // the session goes on: a failed command is reported, never the end of the client
      this.s.say(`error: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  private show(event: SyncEvent): void {
    if (event.kind === 'changed') {
      const { before, after } = event;
      const root = after.threadRootId ? this.s.sync.byId(after.threadRootId) : undefined;
      const text = formatChange(before, after, { label: this.s.directory.label(after.conversationId), rootSeq: root?.seq });
      if (text) this.s.say(text);
      return;
    }
    const m = event.message;
    // the first message of a conversation this client has not heard of yet (its `conversation`
    // event is still on the way): learn its name before printing the line
    if (!this.s.directory.get(m.conversationId)) return this.enqueue(() => this.showInNewConversation(m));
    this.s.say(this.s.line(m));
    const c = this.s.directory.get(m.conversationId);
    if (!c || m.sender.id === this.s.me.id) return;
    if (this.s.isOpen(c.id)) void this.s.markRead(c, m.seq).catch(() => undefined);
    else this.s.directory.upsert({ ...c, unread: c.unread + 1, lastMessage: m });
  }

  private onConversation({ change, conversation: c }: TConversationEvent): void {
    if (change === 'removed') {
      if (!this.s.directory.get(c.id)) return;
      this.s.drop(c.id);
      return this.s.say(`You are no longer in ${conversationLabel(c)}.`);
    }
    const isNew = !this.s.directory.get(c.id);
    this.s.track(c);
    if (!isNew || change !== 'added') return;
    if (c.kind !== 'direct') this.s.say(`You are now in ${conversationLabel(c)}.`);
    // a message sent right after the conversation began may be counted in this event already
    // (then its own event is a repeat, dropped): shown from here unless it came first
    const last = c.lastMessage;
    if (last && c.unread > 0 && !this.s.sync.byId(last.id)) {
      this.s.sync.remember([last]);
      this.s.say(this.s.line(last));
    }
  }

  private async showInNewConversation(m: TMessage): Promise<void> {
    if (!this.s.directory.get(m.conversationId)) {
      for (const c of await this.rest.conversations()) if (!this.s.directory.get(c.id)) this.s.directory.upsert(c);
    }
    this.s.say(this.s.line(m));
  }

  /** After a lost connection: what changed meanwhile, conversation by conversation. */
  private async catchUp(): Promise<void> {
    try {
      const list = await this.rest.conversations();
      const listed = new Set(list.map((c) => c.id));
      for (const c of this.s.directory.all()) if (!listed.has(c.id)) this.s.drop(c.id);
      for (const c of list) this.s.directory.upsert(c);
      const added = await this.s.sync.catchUp(list);
      const news = added.map((c) => formatConversationRow(c).trim());
      this.s.say(`Reconnected.${news.length ? ` New: ${news.join(', ')}` : ''}`);
    } catch (err) {
      this.s.say(`Reconnected, but catching up failed (${err instanceof Error ? err.message : String(err)}); /list tries again.`);
    }
  }

  private async endSession(message: string, code: number): Promise<void> {
    await this.sessions.forget(this.rest.apiUrl);
    this.s.say(message);
    this.quit(code);
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
