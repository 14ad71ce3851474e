/** How long changes gather after an announcement before the next one goes out, with few sockets to tell. */
export const PRESENCE_WINDOW_MS = 250;
/** ... and at most, however many there are. */
export const PRESENCE_WINDOW_MAX_MS = 2_500;

/**
 * The window for an audience of `sockets`: 250 ms per 1,000 sockets (at least 250 ms, at most
 * 2.5 s). Every window with changes costs one frame per socket; 10,000 people arriving at once
 * would cost 40,000 frames a second at a fixed 250 ms, the load of a busy chat. The frames grow
 * larger instead (the same ids), and a change waits at most 2.5 s.
 */
export function presenceWindowMs(sockets: number): number {
  return Math.min(PRESENCE_WINDOW_MAX_MS, PRESENCE_WINDOW_MS * Math.max(1, Math.ceil(sockets / 1000)));
}

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

  constructor(
    private readonly broadcast: PresenceBroadcast,
    /** The window after each announcement (see presenceWindowMs). */
    private readonly windowMs: () => number = () => PRESENCE_WINDOW_MS,
  ) {}

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
    this.timer = this.send() ? setTimeout(() => this.flush(), this.windowMs()) : undefined;
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
