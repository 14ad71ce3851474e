import { io, Socket } from 'socket.io-client';
import { SOCKET_FEATURES, type ClientToServerEvents, type ServerToClientEvents, type TMessage, type TPresenceEvent } from '@chatbox/contracts';

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A connected test socket that records every message and presence event it receives. */
export type RecordingSocket = {
  socket: ChatSocket;
  messages: TMessage[];
  /** When each message arrived, by clientMsgId. */
  arrivedAt: Map<string, number>;
  presence: TPresenceEvent[];
  /** How many events of each name arrived (e.g. `message` vs `messages`). */
  events: Map<string, number>;
  close: () => void;
};

export type ConnectOptions = {
  extraHeaders?: Record<string, string>;
  /**
   * What the handshake names in `auth.features`. This client handles `messages` and
   * `presence:batch`, so it names "batch" unless told otherwise; `[]` acts as a version-1 client.
   */
  features?: string[];
};

/** Connects with a token; rejects with the connect_error (e.g. "unauthorized"). */
export function connectSocket(baseUrl: string, token: string | undefined, opts: ConnectOptions = {}): Promise<RecordingSocket> {
  const features = opts.features ?? [SOCKET_FEATURES.batch];
  const socket: ChatSocket = io(baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: token ? { token, features } : { features },
    extraHeaders: opts.extraHeaders,
    reconnection: false,
    forceNew: true,
  });
  const recorder: RecordingSocket = { socket, messages: [], arrivedAt: new Map(), presence: [], events: new Map(), close: () => socket.disconnect() };
  const record = (messages: TMessage[]) => {
    const now = Date.now();
    for (const m of messages) recorder.arrivedAt.set(m.clientMsgId, now);
    recorder.messages.push(...messages);
  };
  socket.onAny((event: string) => recorder.events.set(event, (recorder.events.get(event) ?? 0) + 1));
  socket.on('message', (m) => record([m]));
  socket.on('messages', (e) => record(e.messages));
  socket.on('presence', (p) => recorder.presence.push(p));
  socket.on('presence:batch', (b) => {
    for (const userId of b.online) recorder.presence.push({ userId, online: true });
    for (const userId of b.offline) recorder.presence.push({ userId, online: false });
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(recorder));
    socket.once('connect_error', (err) => {
      socket.disconnect();
      reject(err);
    });
  });
}

/** Polls until check() holds, or fails with what it was waiting for. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
