import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { AppError } from '@chatbox/server-common';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';

/** Transfers up to this size never wait: a thumbnail or a pasted screenshot costs the process little. */
export const SMALL_TRANSFER_BYTES = 1024 * 1024;

/**
 * How many large uploads and downloads one api process moves at once (TRANSFER_CONCURRENCY); the
 * rest wait their turn, first come first served, and past TRANSFER_QUEUE_MAX waiting are answered
 * 503. Why: the bytes pass through the one event loop that also handles messages. With 50 files
 * moving at once, every turn of the loop carried 50 transfers' chunks, and a message's few round
 * trips (auth, database, Redis) each waited behind them (p50 x4-8 at 100 msgs/s); with a couple
 * at a time, a turn carries a couple of chunks (p50 x1.8), and the bytes move at most ~30 %
 * slower (bench/README.md, "Uploads alongside messages"). A waiting upload's body is simply not
 * read yet: TCP holds the client back, nothing is buffered here.
 */
@Injectable()
export class TransferSlots {
  private readonly concurrency: number;
  private readonly queueMax: number;
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    ({ concurrency: this.concurrency, queueMax: this.queueMax } = config.storage.transfers);
  }

  /**
   * Waits for a slot for a transfer of `bytes` (undefined: not known, counted as large) answered
   * by `res`; the slot is given back when `res` closes (sent, failed or abandoned). Throws a 503
   * when too many transfers wait already.
   */
  async acquire(res: Response, bytes: number | undefined): Promise<void> {
    if (bytes !== undefined && bytes <= SMALL_TRANSFER_BYTES) return;
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queueMax) throw AppError.unavailable('The server is moving many files right now; try again in a moment.');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    // a client that went away while waiting frees its slot at once
    if (res.writableFinished || res.destroyed || res.socket?.destroyed) this.release();
    else res.once('close', () => this.release());
  }

  /** Transfers moving now and waiting (for tests and metrics). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /** Hands the slot to the next waiting transfer, or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
