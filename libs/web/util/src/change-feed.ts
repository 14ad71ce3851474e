import type { TMessage, TMessagePage, TNotice } from '@chatbox/contracts';

/**
 * One page of GET /api/conversations/:id/changes?after= (the caller knows the conversation and
 * token); `notices` when the server has them (membership notices, issue 14).
 */
export type FetchChanges = (after: number) => Promise<Pick<TMessagePage, 'items' | 'nextCursor'> & { notices?: readonly TNotice[] }>;

/** A change of the stream: a message's new state, or a membership notice. */
type Change = { message: TMessage; notice?: undefined } | { notice: TNotice; message?: undefined };
const eventSeqOf = (c: Change): number => (c.message ?? c.notice).eventSeq;

/** How a state reached the client: a socket event, or a `changes?after=` page. */
export type ChangeSource = 'live' | 'catch-up';

/**
 * One conversation's messages as the change stream leaves them, built the way API.md "Changes"
 * tells a client to: every live event (`message`, each message of `messages`, `message:updated`)
 * carries the conversation's eventSeq at that change, and the feed
 *  - applies the next eventSeq (cursor + 1) at once,
 *  - drops what it already holds (eventSeq <= cursor: a fan-out retried after a crash repeats
 *    events, and a catch-up page may already have brought a later state),
 *  - on a gap (an eventSeq past cursor + 1) or a reconnect asks `changes?after=cursor`, holding
 *    back live events until the answer is applied, then replays them by the same rule.
 * A `changes` page names each message once, in its current state, so the eventSeqs a message went
 * through before that state are never applied one by one; the cursor still only ever rises, so
 * no eventSeq is applied twice or out of order. Per message the state with the higher eventSeq
 * wins, which also keeps a state that `remember` (a history page, a send's answer) brought in.
 *
 * Membership notices (`notice` events, a page's `notices`) take eventSeqs of the same stream and
 * are applied by the same rule, to `onNotice`.
 *
 * No I/O of its own: `fetchChanges` is the caller's, so the web client and tests use it alike.
 */
export class ChangeFeed {
  readonly messages = new Map<string, TMessage>();
  /** Every change up to this eventSeq is reflected in `messages`. */
  cursor: number;
  /** Live events dropped because their eventSeq was already reflected. */
  duplicates = 0;
  /** Gaps seen in live eventSeqs (each asks `changes?after=`). */
  gaps = 0;
  /** Catch-up rounds run (gaps and reconnects). */
  catchUps = 0;
  private held: Change[] = [];
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly fetchChanges: FetchChanges,
    private readonly opts: {
      cursor?: number;
      onApply?: (message: TMessage, source: ChangeSource) => void;
      onNotice?: (notice: TNotice, source: ChangeSource) => void;
    } = {},
  ) {
    this.cursor = opts.cursor ?? 0;
  }

  /** A live event. */
  receive(message: TMessage): void {
    this.arrive({ message });
  }

  /** A live `notice`. */
  receiveNotice(notice: TNotice): void {
    this.arrive({ notice });
  }

  private arrive(change: Change): void {
    if (this.inFlight) this.held.push(change);
    else this.take(change);
  }

  /**
   * Fetches and applies every change after the cursor (after a reconnect, or to start); live
   * events arriving meanwhile wait and are replayed afterwards. Concurrent calls share one round.
   */
  catchUp(): Promise<void> {
    this.inFlight ??= this.runCatchUp().then(
      () => {
        this.inFlight = null;
        this.replayHeld();
      },
      (err: unknown) => {
        this.inFlight = null; // the held events wait for the next event or catchUp()
        throw err;
      },
    );
    return this.inFlight;
  }

  /** A message state from elsewhere (history, a send's answer): kept when newer; the cursor stays. */
  remember(message: TMessage): void {
    const held = this.messages.get(message.id);
    if (!held || message.eventSeq > held.eventSeq) this.messages.set(message.id, message);
  }

  private take(change: Change): void {
    const eventSeq = eventSeqOf(change);
    if (eventSeq <= this.cursor) this.duplicates++;
    else if (eventSeq === this.cursor + 1) this.apply(change, 'live');
    else {
      this.gaps++;
      this.held.push(change);
      void this.catchUp().catch(() => undefined);
    }
  }

  private async runCatchUp(): Promise<void> {
    this.catchUps++;
    for (let after = this.cursor; ; ) {
      const page = await this.fetchChanges(after);
      const changes: Change[] = [...page.items.map((message) => ({ message })), ...(page.notices ?? []).map((notice) => ({ notice }))];
      for (const c of changes.sort((a, b) => eventSeqOf(a) - eventSeqOf(b))) if (eventSeqOf(c) > this.cursor) this.apply(c, 'catch-up');
      if (page.nextCursor === null) return;
      after = Number(page.nextCursor);
    }
  }

  private replayHeld(): void {
    const held = this.held.sort((a, b) => eventSeqOf(a) - eventSeqOf(b));
    this.held = [];
    const progressed = held.length > 0 && eventSeqOf(held[0]) <= this.cursor + 1;
    // still a gap after a catch-up (the server had not committed it?): keep waiting rather than loop
    if (held.length > 0 && !progressed) {
      this.held = held;
      return;
    }
    for (const c of held) this.arrive(c);
  }

  private apply(change: Change, source: ChangeSource): void {
    this.cursor = eventSeqOf(change);
    if (change.notice) {
      this.opts.onNotice?.(change.notice, source);
      return;
    }
    this.remember(change.message);
    this.opts.onApply?.(change.message, source);
  }
}
