import type { TPresenceBatchEvent, TPresenceEvent } from '@chatbox/contracts';

/** How long changes gather after an announcement before the next one goes out. */
const WINDOW_MS = 250;

export type PresenceBroadcast = {
  one: (event: TPresenceEvent) => void;
  many: (event: TPresenceBatchEvent) => void;
};

/**
 * Tells every socket who came online or went offline without one broadcast per change: a change
 * in a quiet moment goes out at once as `presence`; changes during the following window gather
 * (the latest state per user wins) and go out together as one `presence:batch`. A thousand
 * users reconnecting after a restart then cost a few broadcasts, not a thousand of them to a
 * thousand sockets each.
 */
export class PresenceAnnouncer {
  private readonly pending = new Map<string, boolean>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly broadcast: PresenceBroadcast) {}

  announce(userId: string, online: boolean): void {
    this.pending.set(userId, online);
    if (!this.timer) this.flush();
  }

  /** Sends what is pending now and stops the window (shutdown). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.send();
    this.timer = undefined;
  }

  private flush(): void {
    this.timer = this.send() ? setTimeout(() => this.flush(), WINDOW_MS) : undefined;
  }

  private send(): boolean {
    if (this.pending.size === 0) return false;
    const changes = [...this.pending];
    this.pending.clear();
    if (changes.length === 1) {
      const [[userId, online]] = changes;
      this.broadcast.one({ userId, online });
    } else {
      this.broadcast.many({
        online: changes.filter(([, on]) => on).map(([id]) => id),
        offline: changes.filter(([, on]) => !on).map(([id]) => id),
      });
    }
    return true;
  }
}
