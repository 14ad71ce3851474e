/** How long changes gather after an announcement before the next one goes out. */
const WINDOW_MS = 250;

/** Tells every socket the current presence of these users (one, or several at once); never rejects. */
export type PresenceBroadcast = (userIds: string[]) => Promise<void>;

/**
 * Tells every socket who came online or went offline without one broadcast per change: a change
 * in a quiet moment goes out at once; changes during the following window gather and go out
 * together. A thousand users reconnecting after a restart then cost a few broadcasts, not a
 * thousand of them to a thousand sockets each. It only collects WHO changed: the broadcast reads
 * the state when it sends, because another api process may have changed it since.
 */
export class PresenceAnnouncer {
  private readonly pending = new Set<string>();
  private timer?: NodeJS.Timeout;
  private closed = false;
  private readonly sending = new Set<Promise<void>>();

  constructor(private readonly broadcast: PresenceBroadcast) {}

  announce(userId: string): void {
    // sockets closing with the process come after close(): its Redis client is going away too,
    // and the other processes learn it from the counts this process released
    if (this.closed) return;
    this.pending.add(userId);
    if (!this.timer) this.flush();
  }

  /** Sends what is pending now, stops the window and waits for broadcasts under way (shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.send();
    await Promise.all(this.sending);
  }

  private flush(): void {
    this.timer = this.send() ? setTimeout(() => this.flush(), WINDOW_MS) : undefined;
  }

  private send(): boolean {
    if (this.pending.size === 0) return false;
    const userIds = [...this.pending];
    this.pending.clear();
    const broadcast = this.broadcast(userIds).finally(() => this.sending.delete(broadcast));
    this.sending.add(broadcast);
    return true;
  }
}
