/**
 * What the floor bench's parent (the server under test) and its client processes say to each
 * other over the fork channel. Every frame a server writes starts with its send time in epoch
 * milliseconds and a space, so a client can time each receipt without parsing anything else.
 */
export type ClientTask =
  /** Connect `count` sockets to ws://127.0.0.1:port, socket i as user `firstUser + i`. */
  | { kind: 'connect'; port: number; count: number; firstUser: number }
  /** Open loop: `rate` frames a second for `seconds`, sender k % count of this process's sockets. */
  | { kind: 'send'; rate: number; seconds: number; bodyBytes: number }
  /** Answer with every receipt's latency so far, and forget them. */
  | { kind: 'report' };

export type ClientReply = { kind: 'connected' } | { kind: 'sent'; frames: number } | { kind: 'receipts'; latenciesMs: number[] };

/** Epoch milliseconds with sub-millisecond precision, comparable between processes of this machine. */
export const epochMs = (): number => performance.timeOrigin + performance.now();

/** `${sentAt} ${payload}`: the frame a floor server writes. */
export const stamped = (payload: string, sentAt = epochMs()): string => `${sentAt} ${payload}`;

/** The send time a stamped frame carries. */
export const sentAtOf = (frame: string): number => Number(frame.slice(0, frame.indexOf(' ')));
