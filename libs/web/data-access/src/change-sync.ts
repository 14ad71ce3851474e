import type { TMessage, TNotice } from '@chatbox/contracts';
import { ChangeFeed, FetchChanges } from '@chatbox/web-util';

/**
 * The change stream of every conversation whose timeline is loaded: one ChangeFeed each (the
 * client's rule of API.md "Changes": next eventSeq applied, repeats dropped, a gap or a reconnect
 * asks `changes?after=`). What a feed applies goes to `apply`; conversations without a feed (not
 * opened yet) are left to their first history page, which carries current states.
 */
export class ChangeSync {
  private readonly feeds = new Map<string, ChangeFeed>();

  constructor(
    private readonly fetchChanges: (conversationId: string, after: number) => ReturnType<FetchChanges>,
    private readonly apply: (conversationId: string, messages: TMessage[]) => void,
    private readonly applyNotice: (notice: TNotice) => void = () => undefined,
  ) {}

  /** Starts following a conversation from `cursor` (its lastEventSeq read before its first page). */
  follow(conversationId: string, cursor: number): void {
    if (this.feeds.has(conversationId)) return;
    this.feeds.set(conversationId, new ChangeFeed((after) => this.fetchChanges(conversationId, after), { cursor, onApply: (m) => this.apply(conversationId, [m]), onNotice: this.applyNotice }));
  }

  /** A live `message` or `message:updated`; false when the conversation has no feed (the caller applies it). */
  receive(message: TMessage): boolean {
    const feed = this.feeds.get(message.conversationId);
    feed?.receive(message);
    return !!feed;
  }

  /** A live `notice`; ignored when its conversation has no feed (its first history page carries it). */
  receiveNotice(notice: TNotice): void {
    this.feeds.get(notice.conversationId)?.receiveNotice(notice);
  }

  /** After a reconnect: every followed conversation asks for what changed meanwhile. */
  catchUpAll(): Promise<void> {
    return Promise.all([...this.feeds.values()].map((f) => f.catchUp())).then(() => undefined);
  }

  /** Every change of the conversation up to this eventSeq is applied; undefined when not followed. */
  cursorOf(conversationId: string): number | undefined {
    return this.feeds.get(conversationId)?.cursor;
  }

  forget(conversationId: string): void {
    this.feeds.delete(conversationId);
  }
}
