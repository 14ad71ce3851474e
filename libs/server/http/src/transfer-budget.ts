import { Inject, Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Transform } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { SMALL_TRANSFER_BYTES } from './transfer-slots';

/** After an idle spell, this many seconds' worth of bytes may go at once (at least one stream chunk). */
const BURST_SECONDS = 0.05;
const MIN_BURST_BYTES = 64 * 1024;

/** After this many transferred bytes, a young-generation collection (see YoungCollections). */
export const YOUNG_COLLECTION_BYTES = 4 * 1024 * 1024;

/**
 * Asks V8 for a young-generation collection (a scavenge) after every `everyBytes` transferred.
 * Why: every byte an upload or download moves passes through a new ArrayBuffer in this process
 * (the HTTP parser copies each body chunk, a file stream reads into new buffers). They die young,
 * but V8 counts their bytes against the old generation's limit until a collection frees them, and
 * the files' bytes arrive much faster than the rest of the work fills the young generation: so no
 * scavenge came first and a full mark-compact ran every 0.5-2 s while files moved (every ~6 s
 * without), each taking the event loop 20-80 ms, which was the messages' p99 (bench/README.md,
 * "Uploads alongside messages, eleventh session"). A scavenge frees them in 1-3 ms. The heap's
 * own collections are left alone otherwise.
 */
export class YoungCollections {
  private since = 0;

  constructor(
    private readonly everyBytes: number,
    private readonly collect: (() => void) | undefined = youngCollector(),
  ) {}

  /** Counts `bytes` as moved through a buffer of this process. */
  moved(bytes: number): void {
    if (!this.collect) return;
    this.since += bytes;
    if (this.since < this.everyBytes) return;
    this.since = 0;
    this.collect();
  }
}

type GcFunction = (options: { type: 'minor' | 'major'; execution: 'sync' | 'async' }) => void;

/**
 * V8's gc() asked for a young-generation collection, run as a task of its own (not in the caller's
 * stack); undefined when this V8 does not offer it. The process needs no --expose-gc: the flag is
 * set for one new context, whose gc() is the process's, and unset again.
 */
export function youngCollector(): (() => void) | undefined {
  let gc = (globalThis as { gc?: GcFunction }).gc;
  if (typeof gc !== 'function') {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as GcFunction | undefined;
      setFlagsFromString('--no-expose-gc');
    } catch {
      return undefined;
    }
  }
  if (typeof gc !== 'function') return undefined;
  const collect = gc;
  return () => collect({ type: 'minor', execution: 'async' });
}

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
    private readonly young: YoungCollections = new YoungCollections(YOUNG_COLLECTION_BYTES),
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
    this.young.moved(bytes);
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
