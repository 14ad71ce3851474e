import { Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { answerWithin } from '@chatbox/server-common';
import type { ChatServer } from './local-delivery';

/**
 * This process's Socket.IO server, when it has one (an api process; the worker has none), and the
 * Redis connection on which its adapter hears the other processes' broadcasts. RedisIoAdapter
 * attaches them when it creates the server.
 */
@Injectable()
export class LocalSockets {
  private readonly logger = new Logger(LocalSockets.name);
  private attached?: { server: ChatServer; subscriber: Redis };

  attach(server: ChatServer, subscriber: Redis): void {
    this.attached = { server, subscriber };
  }

  get server(): ChatServer | undefined {
    return this.attached?.server;
  }

  /**
   * Resolves once whatever other processes published before this call has been emitted to this
   * process's sockets: Redis answers a PING on the subscriber's connection after every message it
   * pushed there before, and the adapter emits each message as soon as it is read.
   * A subscriber that gives no answer within OTHERS_WAIT_MS carries nothing (a flaky network: the
   * connection stalled without a reset): it is replaced (ioredis subscribes the new one again), so
   * nothing published before can arrive after what follows, and the wait ends. What the others
   * published meanwhile never reached this process's sockets anyway; clients fill the gap
   * (changes?after=).
   */
  async othersDelivered(): Promise<void> {
    if (!this.attached) return;
    const { subscriber } = this.attached;
    try {
      await answerWithin(subscriber.ping(), OTHERS_WAIT_MS, () => new Error(`no answer within ${OTHERS_WAIT_MS} ms`));
    } catch (err) {
      this.logger.warn(`the Socket.IO subscriber connection: ${String(err)}; reconnecting`);
      subscriber.disconnect(true);
    }
  }
}

/** How long othersDelivered waits for the subscriber connection's answer. */
const OTHERS_WAIT_MS = 500;
