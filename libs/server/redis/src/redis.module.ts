import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Redis, ReplyError } from 'ioredis';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';

/** At most one forced reconnect of the command connection per this many ms (reconnectStalled). */
const STALL_RECONNECT_GAP_MS = 5_000;

/**
 * The process's command connection to Redis. BullMQ and the Socket.IO adapter open their own
 * (blocking / subscriber) connections from the same URL.
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisService.name);
  readonly client: Redis;
  private lastForcedReconnect = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    // commands issued in the same tick (rate limits, fan-out publishes, cursors) share one write
    this.client = this.connect('command', { enableAutoPipelining: true });
  }

  /** A new connection, for users that need one of their own (subscribers, BullMQ). */
  connect(purpose: string, options: { maxRetriesPerRequest?: number | null; enableAutoPipelining?: boolean } = {}): Redis {
    const client = new Redis(this.config.redisUrl, {
      lazyConnect: false,
      maxRetriesPerRequest: options.maxRetriesPerRequest === undefined ? 3 : options.maxRetriesPerRequest,
      connectionName: `chatbox:${purpose}`,
      enableAutoPipelining: options.enableAutoPipelining ?? false,
    });
    client.on('error', (err: Error) => this.logger.warn(`redis (${purpose}): ${err.message}`));
    return client;
  }

  /**
   * The command connection gave no answer in time (`why`). One that stops carrying packets,
   * with no reset (a flaky network, a NAT that forgot the flow), stays "ready" until TCP gives
   * up, many minutes, and holds every command of the process meanwhile. Reconnecting turns it
   * into what a cut connection is: ioredis sends the unanswered commands again on the new one,
   * as after any cut (the flaky-network drill cuts connections all the time; ioredis destroys a
   * socket whose close goes unanswered after its disconnectTimeout, 2 s). At most once per
   * STALL_RECONNECT_GAP_MS, so a Redis that is only slow is not reconnected in a loop.
   */
  reconnectStalled(why: string): void {
    const now = Date.now();
    if (this.client.status !== 'ready' || now - this.lastForcedReconnect < STALL_RECONNECT_GAP_MS) return;
    this.lastForcedReconnect = now;
    this.logger.warn(`redis (command): ${why}; reconnecting`);
    this.client.disconnect(true);
  }

  async isUp(): Promise<boolean> {
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  /**
   * BullMQ loses jobs on an evicting Redis: refuse to run on one. Managed Redis offerings often
   * forbid CONFIG; then the policy cannot be read, so warn (once per process) and run anyway.
   */
  async assertNoEviction(): Promise<void> {
    let policy: string;
    try {
      [, policy] = (await this.client.config('GET', 'maxmemory-policy')) as [string, string];
    } catch (err) {
      // only a refused command: an unreachable Redis still stops start-up
      if (!(err instanceof ReplyError)) throw err;
      this.logger.warn(
        `could not read Redis maxmemory-policy (${(err as Error).message.trim()}); make sure it is "noeviction" ` +
          '(your provider\'s setting), or queued jobs may be evicted.',
      );
      return;
    }
    if (policy !== 'noeviction') {
      throw new Error(
        `Redis maxmemory-policy is "${policy}"; ChatBox needs "noeviction" so queued jobs are never evicted. ` +
          'Set it with: redis-cli CONFIG SET maxmemory-policy noeviction (and in redis.conf).',
      );
    }
  }

  /**
   * Closed last, gracefully (QUIT answers after every command sent before it): Nest closes the
   * HTTP and Socket.IO servers after the modules' destroy hooks, and their handlers (a socket's
   * disconnect releasing presence, a request in flight) still use this connection; closing it in
   * onModuleDestroy made them fail with "Connection is closed" during every shutdown.
   */
  async onApplicationShutdown(): Promise<void> {
    if (this.client.status === 'end') return;
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

@Global()
@Module({ providers: [RedisService], exports: [RedisService] })
export class RedisModule {}
