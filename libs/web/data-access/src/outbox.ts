import type { TAttachment, TMessage } from '@chatbox/contracts';
import { PendingMessage, sendRetryDelay } from '@chatbox/web-util';
import { ApiError } from './api-client';
import type { StoredJson } from './browser-storage';
import { SendPacer } from './send-pacer';

/**
 * The server's default send limit (README "Rate limits": SEND_USER 60 per 10 s), paced over a
 * slightly longer window: a send takes a moment to arrive, and the server's window starts when
 * its first send arrives, not when it left.
 */
export const DEFAULT_SEND_PACE = { limit: 60, windowMs: 11_000 };

export type OutboxOptions = {
  /** Sends one message; throws ApiError (or a timeout) when it was not stored. */
  send: (p: PendingMessage) => Promise<TMessage>;
  /** A message the server confirmed through the send's answer. */
  onSent: (message: TMessage) => void;
  /** The list of unsent messages changed. */
  onChange: () => void;
  /** Where unsent messages survive a reload (per user); none in tests that do not need it. */
  saved?: StoredJson<PendingMessage[]> | null;
  pacer?: SendPacer;
  now?: () => number;
  /** Waits ms; an early `wake` (a reconnect, a Retry) cuts the wait short. */
  sleep?: (ms: number, wake: AbortSignal) => Promise<void>;
  newId?: () => string;
};

const defaultSleep = (ms: number, wake: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * The messages typed here that the server has not confirmed: kept in typing order, sent one at a
 * time in that order (so they are stored in it), paced to the server's limit. A send the server
 * refused for now (rate_limited: after the wait it names; unavailable or no answer: after 1, 2,
 * 4, 8, 16 s) goes again by itself with the same clientMsgId, so it is stored at most once.
 * What needs the user (offline, refused for good) is marked failed and waits for Retry or
 * Discard. Everything unsent is saved, so a reload sends it on.
 */
export class Outbox {
  private queue: PendingMessage[];
  private readonly pacer: SendPacer;
  private readonly now: () => number;
  private readonly sleep: (ms: number, wake: AbortSignal) => Promise<void>;
  private readonly newId: () => string;
  private pumping = false;
  private stopped = false;
  private waking = new AbortController();

  constructor(private readonly opts: OutboxOptions) {
    this.queue = opts.saved?.read([]) ?? [];
    this.pacer = opts.pacer ?? new SendPacer(DEFAULT_SEND_PACE.limit, DEFAULT_SEND_PACE.windowMs);
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? defaultSleep;
    this.newId = opts.newId ?? (() => crypto.randomUUID());
  }

  all(): readonly PendingMessage[] {
    return this.queue;
  }

  /** Starts (or resumes after a reconnect) sending what waits; cuts any pause short. */
  start(): void {
    this.stopped = false;
    this.wake();
    void this.pump();
  }

  stop(): void {
    this.stopped = true;
    this.wake();
  }

  /** `extras`: files already uploaded for it (sent as attachmentIds), and whether it is an anonymous question. */
  add(conversationId: string, body: string, threadRootId?: string, { attachments = [], anonymous = false }: { attachments?: readonly TAttachment[]; anonymous?: boolean } = {}): PendingMessage {
    const p: PendingMessage = {
      clientMsgId: this.newId(),
      conversationId,
      body,
      createdAt: new Date(this.now()).toISOString(),
      status: 'sending',
      ...(threadRootId ? { threadRootId } : {}),
      ...(attachments.length > 0 ? { attachments: [...attachments] } : {}),
      ...(anonymous ? { anonymous } : {}),
    };
    this.update([...this.queue, p]);
    void this.pump();
    return p;
  }

  retry(clientMsgId: string): void {
    this.update(this.queue.map((p) => (p.clientMsgId === clientMsgId ? { ...p, status: 'sending' as const, error: undefined } : p)));
    this.wake();
    void this.pump();
  }

  discard(clientMsgId: string): void {
    this.update(this.queue.filter((p) => p.clientMsgId !== clientMsgId));
  }

  /** Drops what was typed in a conversation the user is no longer in. */
  discardConversation(conversationId: string): void {
    if (this.queue.some((p) => p.conversationId === conversationId)) this.update(this.queue.filter((p) => p.conversationId !== conversationId));
  }

  /**
   * Messages of this user confirmed by any route (ack, event, history page) are no longer pending.
   * An anonymous message names nobody: its clientMsgId (random, this client's) tells it.
   */
  confirm(messages: readonly TMessage[], selfId: string): void {
    const mine = new Set(messages.filter((m) => m.sender.id === selfId || m.anonymous).map((m) => m.clientMsgId));
    if (mine.size > 0 && this.queue.some((p) => mine.has(p.clientMsgId))) this.update(this.queue.filter((p) => !mine.has(p.clientMsgId)));
  }

  /** Forgets everything, saved copy included (logout). */
  clear(): void {
    this.stop();
    this.queue = [];
    this.opts.saved?.write(null);
    this.opts.onChange();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      let attempt = 0;
      let lastId: string | null = null;
      for (let next = this.nextToSend(); next && !this.stopped; next = this.nextToSend()) {
        if (next.clientMsgId !== lastId) attempt = 0;
        lastId = next.clientMsgId;
        const pace = this.pacer.delay(this.now());
        if (pace > 0) {
          await this.pause(pace);
          continue; // the queue may have changed meanwhile
        }
        this.pacer.record(this.now());
        const wait = await this.sendOne(next, attempt);
        if (wait !== null) {
          attempt += 1;
          await this.pause(wait);
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Sends `p` once; answers how long to wait before sending it again, or null when it is settled. */
  private async sendOne(p: PendingMessage, attempt: number): Promise<number | null> {
    try {
      const message = await this.opts.send(p);
      this.opts.onSent(message);
      this.discard(p.clientMsgId); // a no-op when onSent confirmed it already
      return null;
    } catch (err) {
      if (!this.queue.some((x) => x.clientMsgId === p.clientMsgId)) return null; // confirmed or discarded meanwhile
      const code = err instanceof ApiError ? err.code : 'unavailable'; // no answer at all: it may come back
      if (code === 'rate_limited') return ((err as ApiError).retryAfterSeconds ?? 1) * 1000;
      const wait = sendRetryDelay(code, attempt);
      if (wait !== null) return wait;
      this.update(this.queue.map((x) => (x.clientMsgId === p.clientMsgId ? { ...x, status: 'failed' as const, error: failureText(err) } : x)));
      return null;
    }
  }

  private nextToSend(): PendingMessage | undefined {
    return this.queue.find((p) => p.status === 'sending');
  }

  private async pause(ms: number): Promise<void> {
    await this.sleep(ms, this.waking.signal);
  }

  private wake(): void {
    this.waking.abort();
    this.waking = new AbortController();
  }

  private update(queue: PendingMessage[]): void {
    this.queue = queue;
    this.opts.saved?.write(queue.length > 0 ? queue : null);
    this.opts.onChange();
  }
}

/**
 * Why a message was not sent, in the user's words (shown as "Not sent: <why>."). Refusals that
 * name their reason (blocked, no longer a member) keep the server's sentence; the rest say in
 * plain words what happened, never a code.
 */
export function failureText(err: unknown): string {
  if (!(err instanceof ApiError)) return 'the server did not answer';
  switch (err.code) {
    case 'network':
      return 'no connection';
    case 'validation_failed':
      return err.fields.body ? `the message ${err.fields.body}` : err.message;
    case 'forbidden':
    case 'not_found':
    case 'conflict':
    case 'payload_too_large':
      return err.message;
    case 'unavailable':
      return 'the server is busy';
    default:
      return 'something went wrong';
  }
}
