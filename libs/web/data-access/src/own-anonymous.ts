import type { TMessage } from '@chatbox/contracts';
import { StoredJson, webStorage } from './browser-storage';

/** How many of one's own anonymous messages a browser remembers (the oldest are forgotten). */
const KEEP = 500;

/**
 * The anonymous messages this user wrote, by clientMsgId: no event to others tells who wrote an
 * anonymous message, so the author's client keeps the fact itself. It learns it when it sends
 * one, from the author's own answers (history, changes, the conversation list: `sentByYou`) and from `message:yours`
 * (sent to the author's sockets only), so any browser of theirs knows. It lets the author's own
 * screen offer edit and delete (the server checks again: only the author's key matches), and
 * keeps their own question from notifying them.
 */
export class OwnAnonymous {
  private readonly saved: StoredJson<string[]>;
  private ids: Set<string>;

  constructor(userId: string) {
    this.saved = new StoredJson<string[]>(webStorage('localStorage'), `chatbox.ownAnonymous.${userId}`);
    this.ids = new Set(this.saved.read([]));
  }

  /** Called when the message is queued, before it is sent: its clientMsgId is already final. */
  add(clientMsgId: string): void {
    this.ids.add(clientMsgId);
    this.saved.write([...this.ids].slice(-KEEP));
  }

  /** Remembers those of `messages` that an answer marked as the caller's (`sentByYou`). */
  learn(messages: readonly Pick<TMessage, 'clientMsgId' | 'sentByYou'>[]): void {
    const mine = messages.filter((m) => m.sentByYou === true && !this.ids.has(m.clientMsgId));
    for (const m of mine) this.add(m.clientMsgId);
  }

  has(m: Pick<TMessage, 'anonymous' | 'clientMsgId' | 'sentByYou'>): boolean {
    return m.anonymous && (m.sentByYou === true || this.ids.has(m.clientMsgId));
  }
}
