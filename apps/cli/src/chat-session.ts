import type { TConversation, TMessage, TUser } from '@chatbox/contracts';
import { ConversationDirectory } from './conversation-directory';
import { ConversationSync, SyncEvent } from './conversation-sync';
import { conversationLabel, formatConversationRow, formatMessage } from './message-line';
import type { RestClient } from './rest-client';
import type { Terminal } from './terminal';

const HISTORY_SHOWN = 20;

/**
 * What the commands and the live events share: the conversations the client follows, the open
 * one (named in the prompt), and the screen.
 */
export class ChatSession {
  readonly directory = new ConversationDirectory();
  readonly sync: ConversationSync;
  private current: string | null = null;

  constructor(
    readonly terminal: Terminal,
    readonly rest: RestClient,
    readonly me: TUser,
    onSync: (event: SyncEvent) => void,
  ) {
    this.sync = new ConversationSync((id, after) => rest.changes(id, after), onSync);
  }

  say(text: string): void {
    this.terminal.print(text);
  }

  isOpen = (conversationId: string): boolean => this.current === conversationId;

  /** Follows a conversation: known by name, caught up by the change stream from now on. */
  track(c: TConversation): void {
    this.directory.upsert(c);
    this.sync.track(c);
  }

  drop(id: string): void {
    this.directory.remove(id);
    this.sync.forget(id);
    if (this.current === id) this.setOpen(null);
  }

  /** The open conversation; without one, says how to open one. */
  openConversation(): TConversation | undefined {
    const c = this.current ? this.directory.get(this.current) : undefined;
    if (!c) this.say('No conversation is open: /open #group or @user first (or write #group text / @user text).');
    return c;
  }

  /** Opens a conversation: the prompt names it, its recent messages are shown and read. */
  async open(c: TConversation): Promise<void> {
    this.setOpen(c);
    const { items } = await this.rest.history(c.id, { limit: HISTORY_SHOWN });
    this.sync.remember(items);
    const title = `--- ${conversationLabel(c)}: ${items.length === 0 ? 'no messages yet' : `the last ${items.length} messages`} ---`;
    this.say([title, ...items.map((m) => this.line(m))].join('\n'));
    const last = items.at(-1);
    if (last && last.seq > c.readSeq) await this.markRead(c, last.seq);
  }

  async markRead(c: TConversation, seq: number): Promise<void> {
    await this.rest.markRead(c.id, seq);
    this.directory.upsert({ ...c, readSeq: Math.max(c.readSeq, seq), unread: 0 });
  }

  /** A message as a line, a reply with its root's number when known. */
  line(m: TMessage): string {
    const root = m.threadRootId ? this.sync.byId(m.threadRootId) : undefined;
    return formatMessage(m, { label: this.directory.label(m.conversationId), rootSeq: root?.seq });
  }

  printList(): void {
    this.say(['Your conversations (@user or #group opens one):', ...this.directory.all().map(formatConversationRow)].join('\n'));
  }

  private setOpen(c: TConversation | null): void {
    this.current = c?.id ?? null;
    this.terminal.setPrompt(c ? `${conversationLabel(c)}> ` : '> ');
  }
}
