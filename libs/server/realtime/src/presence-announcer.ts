/** How long changes gather after an announcement before the next one goes out. */
const WINDOW_MS = 250;

/** Tells every socket the current presence of these users (one, or several at once). */
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

  constructor(private readonly broadcast: PresenceBroadcast) {}

  announce(userId: string): void {
    this.pending.add(userId);
    if (!this.timer) this.flush();
  }

  /** Sends what is pending now and stops the window (shutdown). */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.send();
  }

  private flush(): void {
    const sending = this.send();
    this.timer = sending ? setTimeout(() => this.flush(), WINDOW_MS) : undefined;
  }

  private send(): Promise<void> | undefined {
    if (this.pending.size === 0) return undefined;
    const userIds = [...this.pending];
    this.pending.clear();
    return this.broadcast(userIds);
  }
}
