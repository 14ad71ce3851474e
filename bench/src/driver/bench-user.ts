import { io, Socket } from 'socket.io-client';
import { performance } from 'node:perf_hooks';
import type { ApiClient } from '@chatbox/server-testing';
import { SOCKET_FEATURES, TYPING_RELAY_MS, type ClientToServerEvents, type ServerToClientEvents, type TMessage, type TSendAck } from '@chatbox/contracts';

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Receives every `message` and `message:updated` event of every bench user (trackers, recorders). */
export type MessageSink = (recipientId: string, message: TMessage) => void;

/** One registered user of the load: its token, its group and (when connected) its socket. */
export class BenchUser {
  socket?: ChatSocket;
  groupId = '';
  /** `typing` events this user's socket received (others typing). */
  typingReceived = 0;
  private lastTypingAt = -Infinity;

  constructor(
    readonly index: number,
    readonly id: string,
    readonly username: string,
    public token: string,
    /** The api this user talks to (REST and socket). */
    public apiUrl: string,
  ) {}

  /** Opens a websocket-only Socket.IO connection; resolves once connected. */
  connect(sink: MessageSink, opts: { reconnection?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const socket: ChatSocket = io(this.apiUrl, {
      path: '/socket.io',
      transports: ['websocket'],
      // it handles `messages` and `messages:updated` frames, so it asks for them
      auth: { token: this.token, features: [SOCKET_FEATURES.batch, SOCKET_FEATURES.batchUpdates] },
      reconnection: opts.reconnection ?? false,
      forceNew: true,
      timeout: opts.timeoutMs ?? 20_000,
    });
    this.socket = socket;
    socket.on('message', (m) => sink(this.id, m));
    socket.on('messages', (e) => e.messages.forEach((m) => sink(this.id, m)));
    socket.on('message:updated', (m) => sink(this.id, m));
    socket.on('messages:updated', (e) => e.messages.forEach((m) => sink(this.id, m)));
    socket.on('typing', () => this.typingReceived++);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(new Error(`user ${this.index} connect: ${err.message}`)));
    });
  }

  disconnect(): void {
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = undefined;
  }

  /**
   * "I am typing" in a conversation, as a client does while its user types: at most once every
   * TYPING_RELAY_MS (the server relays no more often). True when it emitted.
   */
  typing(conversationId: string, onError: (why: string) => void): boolean {
    const now = performance.now();
    if (!this.socket?.connected || now - this.lastTypingAt < TYPING_RELAY_MS) return false;
    this.lastTypingAt = now;
    this.socket.emit('typing', { conversationId }, (ack) => {
      if ('error' in ack) onError(`typing: ${ack.error.code}`);
    });
    return true;
  }

  /** `message:send` (a reply when threadRootId is set) with its acknowledgement; rejects on timeout or an error ack. */
  send(conversationId: string, clientMsgId: string, body: string, opts: { threadRootId?: string; timeoutMs?: number } = {}): Promise<TMessage> {
    const { threadRootId, timeoutMs = 15_000 } = opts;
    const socket = this.socket;
    if (!socket?.connected) return Promise.reject(new Error('not connected'));
    return new Promise((resolve, reject) => {
      socket.timeout(timeoutMs).emit('message:send', { conversationId, clientMsgId, body, threadRootId }, (err: Error | null, ack: TSendAck) => {
        if (err) return reject(new Error('ack timeout'));
        if ('error' in ack) return reject(new Error(`${ack.error.code}: ${ack.error.message}`));
        resolve(ack.message);
      });
    });
  }
}

/** The same send over REST (`POST /conversations/:id/messages`); rejects unless it answers 201. */
export async function sendOverRest(client: ApiClient, user: BenchUser, conversationId: string, clientMsgId: string, body: string): Promise<TMessage> {
  const res = await client.post(`/conversations/${conversationId}/messages`, { clientMsgId, body }, user.token);
  if (res.status !== 201) throw new Error(`REST send: ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
  return res.body as TMessage;
}

/** A body of exactly `bytes` ASCII characters that says who sent it (no control characters). */
export function messageBody(bytes: number, tag: string): string {
  const head = `${tag} `;
  return (head + 'x'.repeat(Math.max(0, bytes - head.length))).slice(0, Math.max(bytes, 1));
}

/** Runs fn over items with at most `limit` in flight. */
export async function inBatches<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(lanes);
  return out;
}
