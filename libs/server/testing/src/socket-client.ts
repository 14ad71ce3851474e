import { io, Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, TMessage, TPresenceEvent } from '@chatbox/contracts';

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A connected test socket that records every message and presence event it receives. */
export type RecordingSocket = {
  socket: ChatSocket;
  messages: TMessage[];
  /** When each message arrived, by clientMsgId. */
  arrivedAt: Map<string, number>;
  presence: TPresenceEvent[];
  close: () => void;
};

/** Connects with a token; rejects with the connect_error (e.g. "unauthorized"). */
export function connectSocket(baseUrl: string, token: string | undefined, opts: { extraHeaders?: Record<string, string> } = {}): Promise<RecordingSocket> {
  const socket: ChatSocket = io(baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: token ? { token } : {},
    extraHeaders: opts.extraHeaders,
    reconnection: false,
    forceNew: true,
  });
  const recorder: RecordingSocket = { socket, messages: [], arrivedAt: new Map(), presence: [], close: () => socket.disconnect() };
  const record = (messages: TMessage[]) => {
    const now = Date.now();
    for (const m of messages) recorder.arrivedAt.set(m.clientMsgId, now);
    recorder.messages.push(...messages);
  };
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
