import type { TUser } from '@chatbox/contracts';

/**
 * Tells everyone connected that a user registered (the `user` event: people lists grow live).
 * The accounts do not know Socket.IO: the realtime library implements this port.
 */
export interface UserAnnouncer {
  /** Never rejects: a missed announcement costs a list that is stale until its next load. */
  registered(user: TUser): Promise<void>;
}

export const USER_ANNOUNCER = Symbol('USER_ANNOUNCER');
