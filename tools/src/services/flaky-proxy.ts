import net from 'node:net';

export type FlakyProxyOptions = {
  /** Added to every chunk, each direction, plus a random 0..jitterMs (order is kept). */
  latencyMs: number;
  jitterMs: number;
};

/**
 * A TCP proxy on a loopback port in front of one loopback service: what a poor network does to
 * the connections through it. Chunks are delayed (in order), and while `startCutting` runs,
 * random connections are cut at random moments (both sides closed, as when a NAT or firewall
 * forgets a flow); while `startStalling` runs, random connections carry nothing for a while and
 * then go on (packets dropped and retransmitted: neither end is told). New connections are always
 * accepted: the network is flaky, not down. Used by the flaky-network drill and by tests.
 */
export class FlakyProxy {
  readonly stats = { connections: 0, cuts: 0, stalls: 0 };
  private readonly pairs = new Set<Pair>();
  private stopCut = (): void => undefined;
  private stopStall = (): void => undefined;

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number, options: FlakyProxyOptions): Promise<FlakyProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const proxy = new FlakyProxy(server, (server.address() as net.AddressInfo).port);
    server.on('connection', (client) => proxy.accept(client, targetPort, options));
    return proxy;
  }

  private accept(client: net.Socket, targetPort: number, options: FlakyProxyOptions): void {
    this.stats.connections++;
    client.setNoDelay(true);
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    upstream.setNoDelay(true);
    const directions = [new DelayedStream(upstream, options), new DelayedStream(client, options)] as const;
    const pair: Pair = { client, upstream, directions };
    this.pairs.add(pair);
    const close = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const [from, delayed] of [
      [client, directions[0]],
      [upstream, directions[1]],
    ] as const) {
      from.on('data', (chunk: Buffer) => delayed.push(chunk));
      // the other side learns of an end only after the data before it went through
      from.on('end', () => delayed.push('end'));
      from.on('error', close);
      from.on('close', () => delayed.push(close));
    }
  }

  /** Cuts one random open connection every minMs..maxMs until stopCutting. */
  startCutting(minMs: number, maxMs: number): void {
    this.stopCut = this.everyRandomPair(minMs, maxMs, (victim) => {
      this.stats.cuts++;
      this.pairs.delete(victim);
      // reset, not a polite close: the peer finds out mid-conversation
      victim.client.resetAndDestroy();
      victim.upstream.resetAndDestroy();
    });
  }

  stopCutting(): void {
    this.stopCut();
  }

  /**
   * Every minMs..maxMs one random open connection stops carrying anything, both ways, for
   * stallMs, and then delivers what it held, in order: a network that drops packets for a while
   * (TCP retransmits them once it is back), no reset, so neither end is told anything.
   */
  startStalling(minMs: number, maxMs: number, stallMs: number): void {
    this.stopStall = this.everyRandomPair(minMs, maxMs, (victim) => {
      this.stats.stalls++;
      victim.directions.forEach((d) => d.hold(stallMs));
    });
  }

  stopStalling(): void {
    this.stopStall();
  }

  /** Acts on one random open connection (if any) every minMs..maxMs; answers what stops it. */
  private everyRandomPair(minMs: number, maxMs: number, act: (pair: Pair) => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    const next = () => {
      timer = setTimeout(
        () => {
          const open = [...this.pairs];
          const victim = open[Math.floor(Math.random() * open.length)];
          if (victim) act(victim);
          next();
        },
        minMs + Math.random() * (maxMs - minMs),
      );
    };
    next();
    return () => clearTimeout(timer);
  }

  /**
   * Every open connection carries nothing for ms, then goes on (tests); new ones work, as when
   * a NAT or a failed-over link loses the flows it had.
   */
  stallAll(ms: number): void {
    for (const pair of this.pairs) pair.directions.forEach((d) => d.hold(ms));
  }

  async close(): Promise<void> {
    this.stopCutting();
    this.stopStalling();
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

type Pair = { client: net.Socket; upstream: net.Socket; directions: readonly [DelayedStream, DelayedStream] };

/**
 * One direction of a connection, delayed: each chunk is due latency + 0..jitter after it came,
 * but never before the chunk ahead of it, and goes out in arrival order (TCP never reorders;
 * one timer per direction, because timers of different lengths may fire out of order).
 */
class DelayedStream {
  private readonly queue: { due: number; item: Buffer | 'end' | (() => void) }[] = [];
  private timer?: NodeJS.Timeout;
  /** Nothing goes out before this (epoch ms): a stall. */
  private heldUntil = 0;

  constructor(
    private readonly to: net.Socket,
    private readonly options: FlakyProxyOptions,
  ) {}

  push(item: Buffer | 'end' | (() => void)): void {
    const last = this.queue.at(-1)?.due ?? 0;
    this.queue.push({ due: Math.max(Date.now() + this.options.latencyMs + Math.random() * this.options.jitterMs, last), item });
    if (!this.timer) this.schedule();
  }

  /** Holds everything queued and coming for ms (a stall), then goes on in order. */
  hold(ms: number): void {
    this.heldUntil = Math.max(this.heldUntil, Date.now() + ms);
    clearTimeout(this.timer);
    this.schedule();
  }

  private schedule(): void {
    const head = this.queue[0];
    this.timer = head ? setTimeout(() => this.flush(), Math.max(0, head.due - Date.now(), this.heldUntil - Date.now())) : undefined;
  }

  private flush(): void {
    const now = Date.now();
    if (now < this.heldUntil) return this.schedule();
    while (this.queue.length && this.queue[0].due <= now) {
      const { item } = this.queue.shift()!;
      if (typeof item === 'function') item();
      else if (this.to.destroyed) continue;
      else if (item === 'end') this.to.end();
      else this.to.write(item);
    }
    this.schedule();
  }
}
