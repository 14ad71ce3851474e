import type { TMessage } from '@chatbox/contracts';
import { StoredJson, webStorage } from './browser-storage';

/** How many of one's own anonymous messages a browser remembers (the oldest are forgotten). */
const KEEP = 500;

/**
 * The anonymous messages this user sent from this browser, by clientMsgId: no answer or event
 * tells anyone, the author included, who wrote an anonymous message (the events go to every
 * member alike), so the client that sent it keeps the fact itself. It lets the author's own
 * screen offer edit and delete (the server checks again: only the author's key matches), and
 * keeps their own question from notifying them. Another browser of the same user does not know
 * (the message shows there as anyone's anonymous question; editing it there is refused).
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

  has(m: Pick<TMessage, 'anonymous' | 'clientMsgId'>): boolean {
    return m.anonymous && this.ids.has(m.clientMsgId);
  }
}
