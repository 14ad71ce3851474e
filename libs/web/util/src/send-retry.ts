/** Pauses before the automatic retries of a send the server could not take for a moment. */
const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16000];

/**
 * When to send a message again by itself after the server answered `unavailable` (its database
 * or Redis restarting, or too many sends waiting: it says "try again shortly"): after 1, 2, 4, 8
 * and 16 s, then it is left to the user's Retry. The same clientMsgId makes every repeat
 * harmless. Other failures need the user: a validation or access error will not change, and an
 * offline browser shows the message as not sent until the user retries.
 *
 * Returns the milliseconds to wait before retry number `attempt` (0 = the first retry), or null.
 */
export function sendRetryDelay(errorCode: string | undefined, attempt: number): number | null {
  if (errorCode !== 'unavailable') return null;
  return RETRY_DELAYS_MS[attempt] ?? null;
}
