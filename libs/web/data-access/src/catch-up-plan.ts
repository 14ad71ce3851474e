/**
 * More changes than this missed while away (a reconnect after a long absence): the held window
 * is not brought up to date change by change (a few hundred changes are a few `changes?after=`
 * pages; thousands would keep the conversation unusable while they load).
 */
export const REPLAY_LIMIT = 300;

/**
 * What a reconnect does with one loaded timeline:
 *  - `replay`: few changes missed: `changes?after=` and the history after the newest held, as before;
 *  - `unload`: not on screen: forgotten; its newest page loads when it is opened;
 *  - `newest`: on screen at its newest messages: the newest page replaces the stale window
 *    (older pages load on scrolling up, the "New messages" line where the unread ones start);
 *  - `keep-place`: on screen with the reader far back (scrolled up, or a window on older
 *    messages): what they read stays, in its current state, with "Jump to the newest".
 */
export type CatchUpPlan = 'replay' | 'unload' | 'newest' | 'keep-place';

export function planCatchUp(t: { missedChanges: number; onScreen: boolean; readingBack: boolean }): CatchUpPlan {
  if (t.missedChanges <= REPLAY_LIMIT) return 'replay';
  if (!t.onScreen) return 'unload';
  return t.readingBack ? 'keep-place' : 'newest';
}
