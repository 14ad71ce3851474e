import { Inject, Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Transform } from 'node:stream';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { SMALL_TRANSFER_BYTES } from './transfer-slots';

/** After an idle spell, this many seconds' worth of bytes may go at once (at least one stream chunk). */
const BURST_SECONDS = 0.05;
const MIN_BURST_BYTES = 64 * 1024;

/**
 * A token bucket of bytes: `bytesPerSecond` flow in, up to a burst. A reservation is counted at
 * once, even past what is there (the bucket goes into debt), and answered with how long to wait:
 * so whoever reserves next waits behind it, and over any window of T seconds no more than
 * burst + T x bytesPerSecond are let through, however many streams share the bucket.
 */
export class ByteBudget {
  private readonly burstBytes: number;
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly bytesPerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.burstBytes = Math.max(MIN_BURST_BYTES, bytesPerSecond * BURST_SECONDS);
    this.tokens = this.burstBytes;
    this.refilledAt = now();
  }

  /** Counts `bytes` as moved and answers the milliseconds to wait before moving them (0: at once). */
  reserve(bytes: number): number {
    const now = this.now();
    this.tokens = Math.min(this.burstBytes, this.tokens + ((now - this.refilledAt) * this.bytesPerSecond) / 1000);
    this.refilledAt = now;
    this.tokens -= bytes;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.bytesPerSecond;
  }

  /**
   * A pass-through stream that lets each chunk on only when the budget has it. While a chunk
   * waits, the stream takes no more (backpressure): the source is paused (an upload's socket is
   * not read, TCP holds the client back; a download's file is not read), nothing piles up here.
   */
  pacer(): Transform {
    let timer: NodeJS.Timeout | undefined;
    return new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        const waitMs = this.reserve(chunk.length);
        if (waitMs === 0) return done(null, chunk);
        timer = setTimeout(() => {
          timer = undefined;
          done(null, chunk);
        }, waitMs);
      },
      destroy: (err, done) => {
        clearTimeout(timer);
        done(err);
      },
    });
  }
}

/**
 * The api process's byte budget for file transfers (TRANSFER_BYTES_PER_SECOND), shared by every
 * upload and download over 1 MB. Why: TransferSlots keeps few files moving at once, but those few
 * still move as fast as the CPU lets them, and on a small machine that is all the CPU the
 * messages had to spare (phase A at 100 msgs/s went p50 4 -> 25 ms with 212 MB/s moving;
 * bench/README.md, "Uploads alongside messages, tenth session"). Paced, the bytes take a known
 * share. Thumbnails and files up to 1 MB are not paced: they cost little and should show at once.
 */
@Injectable()
export class TransferBudget {
  /** undefined: unlimited (TRANSFER_BYTES_PER_SECOND=0). */
  private readonly budget: ByteBudget | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { bytesPerSecond } = config.storage.transfers;
    this.budget = bytesPerSecond > 0 ? new ByteBudget(bytesPerSecond) : undefined;
  }

  /**
   * The stream to pass a transfer of `bytes` through (undefined: not known, paced as large), or
   * undefined when it goes unpaced (small, or no budget).
   */
  pacer(bytes: number | undefined): Transform | undefined {
    if (!this.budget || (bytes !== undefined && bytes <= SMALL_TRANSFER_BYTES)) return undefined;
    return this.budget.pacer();
  }
}
