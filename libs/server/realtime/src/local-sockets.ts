import { Injectable } from '@nestjs/common';
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
   * pushed there before, and the adapter emits each message as soon as it is read. Throws after
   * OTHERS_WAIT_MS (a subscriber connection that is down): the caller then leaves its turn.
   */
  async othersDelivered(): Promise<void> {
    if (!this.attached) return;
    await answerWithin(this.attached.subscriber.ping(), OTHERS_WAIT_MS, () => new Error(`the Socket.IO subscriber did not answer within ${OTHERS_WAIT_MS} ms`));
  }
}

/** How long othersDelivered waits for the subscriber connection's answer. */
const OTHERS_WAIT_MS = 1_000;
