import type { TConversation, TMessage, TMessagePage } from '@chatbox/contracts';
import { ChangeFeed, FetchChanges } from '@chatbox/web-util';

/** A message to print: a new one, or a change to one (an edit, a delete, reactions). */
export type SyncEvent = { kind: 'new'; message: TMessage } | { kind: 'changed'; before: TMessage | undefined; after: TMessage };

type Progress = Pick<TConversation, 'id' | 'lastEventSeq' | 'lastSeq'>;

/**
 * The catch-up bookkeeping of every conversation the client follows: one ChangeFeed each (the
 * web client's rule for API.md "Changes": apply the next eventSeq, drop repeats, on a gap or a
 * reconnect ask `changes?after=` the last one applied). New messages are changes too (each bumps
 * eventSeq), so this one stream brings both what was written and what was edited while the
 * connection was down, in order. It turns each applied state into a SyncEvent: "new" for a seq
 * above any seen in that conversation, "changed" otherwise.
 */
export class ConversationSync {
  private readonly feeds = new Map<string, ChangeFeed>();
  /** The latest state seen of each message, by id: what a change is compared with. */
  private readonly known = new Map<string, TMessage>();
  private readonly highestSeq = new Map<string, number>();

  constructor(
    private readonly fetchChanges: (conversationId: string, after: number) => ReturnType<FetchChanges>,
    private readonly onEvent: (event: SyncEvent) => void,
  ) {}

  /** Follows a conversation from its current state on (nothing before it is replayed). */
  track(c: Progress): void {
    if (this.feeds.has(c.id)) return;
    this.highestSeq.set(c.id, c.lastSeq);
    const feed = new ChangeFeed((after) => this.fetchChanges(c.id, after), { cursor: c.lastEventSeq, onApply: (m) => this.apply(m) });
    this.feeds.set(c.id, feed);
  }

  forget(conversationId: string): void {
    this.feeds.delete(conversationId);
    this.highestSeq.delete(conversationId);
  }

  /** A live `message` / `message:updated` (or a send's answer). */
  receive(message: TMessage): void {
    const feed = this.feeds.get(message.conversationId);
    if (feed) feed.receive(message);
    // a conversation not followed yet (its `conversation` event is still on the way): start at it
    else {
      this.track({ id: message.conversationId, lastEventSeq: message.eventSeq - 1, lastSeq: message.seq - 1 });
      this.feeds.get(message.conversationId)?.receive(message);
    }
  }

  /** Messages shown from history: later states of them are changes, not news. */
  remember(page: TMessagePage['items']): void {
    for (const m of page) {
      this.known.set(m.id, m);
      this.feeds.get(m.conversationId)?.remember(m);
      this.highestSeq.set(m.conversationId, Math.max(this.highestSeq.get(m.conversationId) ?? 0, m.seq));
    }
  }

  /**
   * After a reconnect, from a fresh conversation list: asks `changes?after=` of each followed
   * conversation that moved on meanwhile (one request each, none for the quiet ones), and
   * answers the conversations that were not followed yet (now followed from their current state).
   */
  async catchUp(conversations: readonly TConversation[]): Promise<TConversation[]> {
    const added: TConversation[] = [];
    for (const c of conversations) {
      const feed = this.feeds.get(c.id);
      if (!feed) {
        this.track(c);
        added.push(c);
      } else if (c.lastEventSeq > feed.cursor) await feed.catchUp();
    }
    return added;
  }

  /** A message of a followed conversation by seq, when this run has seen it. */
  bySeq(conversationId: string, seq: number): TMessage | undefined {
    for (const m of this.known.values()) if (m.conversationId === conversationId && m.seq === seq) return m;
    return undefined;
  }

  byId = (id: string): TMessage | undefined => this.known.get(id);

  private apply(message: TMessage): void {
    const before = this.known.get(message.id);
    this.known.set(message.id, message);
    const highest = this.highestSeq.get(message.conversationId) ?? 0;
    if (!before && message.seq > highest) {
      this.highestSeq.set(message.conversationId, message.seq);
      this.onEvent({ kind: 'new', message });
    } else this.onEvent({ kind: 'changed', before, after: message });
  }
}
