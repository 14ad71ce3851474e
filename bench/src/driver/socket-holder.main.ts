import { io, Socket } from 'socket.io-client';
import { performance } from 'node:perf_hooks';
import { SOCKET_FEATURES, type ClientToServerEvents, type ServerToClientEvents, type TMessage } from '@chatbox/contracts';
import { inBatches } from './bench-user';
import type { DriverToHolder, HeldUser, HolderReport, HolderToDriver, Receipts } from './holder-protocol';

type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Receipts go to the driver at most this often (one IPC message per flush). */
const FLUSH_MS = 5;
/** A refused handshake is not retried by Socket.IO itself; a client tries again after this (as the web client's recover does). */
const RETRY_REFUSED_MS = 1_000;

const epochNow = () => performance.timeOrigin + performance.now();
const send = (m: HolderToDriver) => process.send?.(m);

/**
 * A socket holder: a child process of the load driver that keeps a share of the users' sockets
 * (10,000 in one process would measure the driver's event loop, not the server), reports each
 * receipt of a `message` / `messages` event to the driver with its epoch time (the driver's
 * DeliveryTracker turns it into latency), and counts what a reconnect after an api restart
 * brings: reconnections, refused handshakes and presence changes per second.
 */
class Holder {
  private sockets: ChatSocket[] = [];
  private users: HeldUser[] = [];
  private pending = new Map<string, Receipts>();
  private flushTimer?: NodeJS.Timeout;
  private counters = Holder.emptyCounters();

  private static emptyCounters(): Omit<HolderReport, 'connected'> {
    return { lastConnectAt: 0, reconnects: 0, disconnects: 0, errors: [], presenceBySecond: {}, presenceFrames: 0 };
  }

  async connect(users: HeldUser[], reconnection: boolean): Promise<void> {
    const t0 = performance.now();
    const errors: string[] = [];
    let failed = 0;
    await inBatches(users, 50, (u) =>
      this.open(u, reconnection).catch((err: Error) => {
        failed++;
        if (errors.length < 5) errors.push(err.message);
      }),
    );
    send({ type: 'connected', ms: Math.round(performance.now() - t0), failed, errors });
  }

  private open(user: HeldUser, reconnection: boolean): Promise<void> {
    const socket: ChatSocket = io(user.apiUrl, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { token: user.token, features: [SOCKET_FEATURES.batch] },
      forceNew: true,
      timeout: 30_000,
      // as the web client (libs/web/data-access socket-client.ts)
      reconnection,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    this.users[user.slot] = user;
    this.sockets[user.slot] = socket;
    const onMessage = (m: TMessage) => this.receipt(user.slot, m);
    socket.on('message', onMessage);
    socket.on('messages', (e) => e.messages.forEach(onMessage));
    socket.on('presence', () => this.presence(1));
    socket.on('presence:batch', (b) => this.presence(b.online.length + b.offline.length));
    let first = true;
    socket.on('connect', () => {
      if (!first) this.counters.reconnects++;
      first = false;
      this.counters.lastConnectAt = epochNow();
    });
    socket.on('disconnect', () => this.counters.disconnects++);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.on('connect_error', (err) => {
        if (first) return reject(new Error(`connect ${user.slot}: ${err.message}`));
        this.error(err.message);
        // a handshake the server refused (e.g. `unavailable` while it starts): Socket.IO does
        // not retry it, a client does
        if (reconnection && !socket.active) setTimeout(() => socket.connect(), RETRY_REFUSED_MS);
      });
    });
  }

  private error(message: string): void {
    // one per failed attempt: a refused handshake, or a transport error (nobody listening)
    this.counters.errors.push([message, epochNow()]);
  }

  private presence(changes: number): void {
    const second = String(Math.floor(Date.now() / 1000));
    this.counters.presenceBySecond[second] = (this.counters.presenceBySecond[second] ?? 0) + changes;
    this.counters.presenceFrames++;
  }

  private receipt(slot: number, m: TMessage): void {
    let r = this.pending.get(m.clientMsgId);
    if (!r) this.pending.set(m.clientMsgId, (r = { clientMsgId: m.clientMsgId, senderId: m.sender?.id ?? '', slots: [], at: [] }));
    r.slots.push(slot);
    r.at.push(epochNow());
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (this.pending.size === 0) return;
    send({ type: 'receipts', batch: [...this.pending.values()] });
    this.pending.clear();
  }

  report(requestId: number): void {
    this.flush();
    const connected = this.sockets.filter((s) => s?.connected).length;
    send({ type: 'report', requestId, report: { connected, ...this.counters } });
    this.counters = Holder.emptyCounters();
  }

  close(): void {
    for (const s of this.sockets) {
      s?.removeAllListeners();
      s?.io.removeAllListeners();
      s?.disconnect();
    }
    this.sockets = [];
  }
}

const holder = new Holder();
process.on('message', (m: DriverToHolder) => {
  switch (m.type) {
    case 'connect':
      void holder.connect(m.users, m.reconnection);
      break;
    case 'report':
      holder.report(m.requestId);
      break;
    case 'close':
      holder.close();
      process.disconnect?.();
      break;
  }
});
process.on('disconnect', () => {
  holder.close();
  setTimeout(() => process.exit(0), 200).unref();
});
