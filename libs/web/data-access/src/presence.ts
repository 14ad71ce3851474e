import type { TPresenceBatchEvent, TPresenceEvent, TUser } from '@chatbox/contracts';

/** Who is online: live changes over what the last fetched list said. */
export type PresenceState = {
  /** live presence; overrides the `online` a User carried when it was fetched */
  presence: Readonly<Record<string, boolean>>;
  onlineUsers: readonly TUser[];
};

export const batchToChanges = (b: TPresenceBatchEvent): TPresenceEvent[] => [
  ...b.online.map((userId) => ({ userId, online: true })),
  ...b.offline.map((userId) => ({ userId, online: false })),
];

/**
 * Applies live changes. People who went offline leave the online list at once; someone who came
 * online is not in the list yet (the event carries no User), so `refresh` says to fetch it.
 */
export function applyPresence(state: PresenceState, changes: readonly TPresenceEvent[]): PresenceState & { refresh: boolean } {
  const presence = { ...state.presence };
  for (const e of changes) presence[e.userId] = e.online;
  const wentOffline = new Set(changes.filter((e) => !e.online).map((e) => e.userId));
  const onlineUsers = wentOffline.size ? state.onlineUsers.filter((u) => !wentOffline.has(u.id)) : state.onlineUsers;
  const refresh = changes.some((e) => e.online && !state.onlineUsers.some((u) => u.id === e.userId));
  return { presence, onlineUsers, refresh };
}

/** The fetched online list: everyone in it is online now. */
export function withOnlineList(state: PresenceState, users: readonly TUser[]): PresenceState {
  const presence = { ...state.presence };
  for (const u of users) presence[u.id] = true;
  return { presence, onlineUsers: users };
}

/** Fetches the online list shortly after it was asked for, once for many asks. */
export class OnlineRefresher {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly fetch: () => Promise<TUser[]>,
    private readonly apply: (users: TUser[]) => void,
  ) {}

  schedule(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fetch().then(this.apply, () => undefined);
    }, delayMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
