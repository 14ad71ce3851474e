import type { TMessage } from '@chatbox/contracts';
import { BenchUser } from '../driver/bench-user';
import { catchUp } from '../driver/catch-up';
import type { Population } from '../driver/population';

/**
 * A drill user as a real client behaves: holds messages by seq per conversation (so nothing is
 * shown twice), and when its socket drops it reconnects, to the next api URL when its own api
 * is gone, then fetches what it missed through the history API.
 */
export class DrillClient {
  /** conversationId -> seq -> message id: what the user would show. */
  readonly view = new Map<string, Map<number, string>>();
  /** Message ids received live over the socket (first receipt). */
  readonly live = new Set<string>();
  liveDuplicates = 0;
  outOfOrder = 0;
  /** Same seq, different id: two messages claiming one place; never acceptable. */
  conflicts = 0;
  fetched = 0;
  reconnects = 0;
  everDisconnected = false;
  private readonly maxSeen = new Map<string, number>();
  private stopped = false;

  constructor(
    readonly user: BenchUser,
    private readonly pop: Population,
    private readonly onEvent: (what: string) => void = () => {},
  ) {}

  async connect(): Promise<void> {
    await this.user.connect((_, m) => this.receive(m, 'live'));
    this.user.socket?.on('disconnect', (reason) => {
      if (this.stopped) return;
      this.everDisconnected = true;
      this.onEvent(`user ${this.user.index} disconnected (${reason})`);
      void this.failover();
    });
  }

  /** A `message` from the socket or from a fetched page. */
  receive(m: TMessage, how: 'live' | 'fetched'): void {
    let conv = this.view.get(m.conversationId);
    if (!conv) this.view.set(m.conversationId, (conv = new Map()));
    if (how === 'live') {
      if (this.live.has(m.id)) {
        this.liveDuplicates++;
        return;
      }
      this.live.add(m.id);
      if (m.seq < (this.maxSeen.get(m.conversationId) ?? 0)) this.outOfOrder++;
      this.maxSeen.set(m.conversationId, Math.max(m.seq, this.maxSeen.get(m.conversationId) ?? 0));
    } else this.fetched++;
    const held = conv.get(m.seq);
    if (held === undefined) conv.set(m.seq, m.id);
    else if (held !== m.id) this.conflicts++;
  }

  /** The highest seq up to which this client holds every message of the conversation. */
  contiguous(conversationId: string): number {
    const conv = this.view.get(conversationId);
    let n = 0;
    while (conv?.has(n + 1)) n++;
    return n;
  }

  /** Fetches every conversation forward from what it holds without a gap (reconnect / gap fill). */
  async sync(conversationIds: readonly string[]): Promise<void> {
    const held = new Map(conversationIds.map((id) => [id, this.contiguous(id)]));
    const { messages } = await catchUp(this.pop.client(this.user), this.user.token, held);
    for (const [id, list] of messages) if (held.has(id)) for (const m of list) this.receive(m, 'fetched');
  }

  /** Reconnects, trying the api URLs in turn starting after the current one; bounded to about a minute. */
  private async failover(): Promise<void> {
    const urls = this.pop.apiUrls;
    this.user.disconnect();
    for (let attempt = 0; attempt < 120 && !this.stopped; attempt++) {
      const url = urls[(urls.indexOf(this.user.apiUrl) + 1) % urls.length];
      this.user.apiUrl = url;
      try {
        await this.connect();
        this.reconnects++;
        await this.sync([this.user.groupId]);
        return;
      } catch {
        this.user.disconnect();
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.user.disconnect();
  }
}
