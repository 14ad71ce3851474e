/** A user whose socket a holder process keeps: `slot` is its place in the holder's list. */
export type HeldUser = { slot: number; id: string; token: string; apiUrl: string };

export type DriverToHolder =
  | { type: 'connect'; users: HeldUser[]; reconnection: boolean }
  /** Counters since the last `report`, and the state of every socket now. */
  | { type: 'report'; requestId: number }
  | { type: 'close' };

/** Receipts of one message by some of the holder's users: slots and epoch milliseconds, pairwise. */
export type Receipts = { clientMsgId: string; senderId: string; slots: number[]; at: number[] };

/** What a holder saw since its previous report. */
export type HolderReport = {
  /** Sockets connected now, of the holder's users. */
  connected: number;
  /** Epoch ms of the latest (re)connect of any socket since the last report; 0 if none. */
  lastConnectAt: number;
  /** Connects after the first one of a socket (reconnections) since the last report. */
  reconnects: number;
  disconnects: number;
  /** Failed (re)connection attempts since the last report: the error's message and its epoch ms. */
  errors: Array<[string, number]>;
  /** Presence changes received (a `presence` event is one, a `presence:batch` its ids), per epoch second. */
  presenceBySecond: Record<string, number>;
  presenceFrames: number;
};

/** A report of nothing seen. */
export const emptyHolderReport = (): HolderReport => ({ connected: 0, lastConnectAt: 0, reconnects: 0, disconnects: 0, errors: [], presenceBySecond: {}, presenceFrames: 0 });

/** Adds what `seen` counted in its period to `into`; `connected`, a count of now, is the caller's to set. */
export function addSeen(into: HolderReport, seen: HolderReport): void {
  into.lastConnectAt = Math.max(into.lastConnectAt, seen.lastConnectAt);
  into.reconnects += seen.reconnects;
  into.disconnects += seen.disconnects;
  into.presenceFrames += seen.presenceFrames;
  into.errors.push(...seen.errors);
  for (const [k, n] of Object.entries(seen.presenceBySecond)) into.presenceBySecond[k] = (into.presenceBySecond[k] ?? 0) + n;
}

export type HolderToDriver =
  | { type: 'connected'; ms: number; failed: number; errors: string[] }
  | { type: 'receipts'; batch: Receipts[] }
  | { type: 'report'; requestId: number; report: HolderReport };
