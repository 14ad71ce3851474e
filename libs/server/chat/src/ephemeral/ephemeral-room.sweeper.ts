import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { EphemeralRoomRepository } from './ephemeral-room.repository';
import { EphemeralRoomStore } from './ephemeral-room.store';
import { EphemeralRoomFiles } from './ephemeral-room-files';

/** How often every room is swept at most (and at least once per time-to-live). */
const SWEEP_EVERY_MS = 60_000;

/**
 * Keeps Redis to what the rooms may hold, whatever happened meanwhile: at start-up and then
 * periodically, removes expired messages from every room (reads do so too, for the rooms they
 * read), and deletes the keys of a room whose PostgreSQL row is gone (a process that died
 * between deleting the row and the keys). Several processes sweeping at once do the same
 * idempotent work.
 */
@Injectable()
export class EphemeralRoomSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EphemeralRoomSweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: EphemeralRoomStore,
    private readonly repo: EphemeralRoomRepository,
    private readonly files: EphemeralRoomFiles,
  ) {}

  onApplicationBootstrap(): void {
    const every = Math.min(SWEEP_EVERY_MS, this.store.ttlSeconds * 1000);
    this.timer = setInterval(() => this.startSweep(), every);
    this.timer.unref();
    this.startSweep();
  }

  /** A sweep in progress ends before Redis and PostgreSQL close (their modules are destroyed after this one). */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private startSweep(): void {
    this.running ??= this.sweepQuietly().finally(() => (this.running = undefined));
  }

  /**
   * One pass over every room; answers how many rooms were orphans, how many messages expired and
   * how many files went with expired messages or orphaned rooms.
   */
  async sweep(): Promise<{ orphans: number; expired: number; files: number }> {
    let cursor = '0';
    let [orphans, expired] = [0, 0];
    do {
      const page = await this.store.roomsPage(cursor);
      cursor = page.cursor;
      const live = await this.repo.existing(page.roomIds);
      for (const roomId of page.roomIds) {
        if (!live.has(roomId)) {
          await this.store.destroy(roomId);
          orphans++;
        } else expired += await this.store.purgeExpired(roomId);
      }
    } while (cursor !== '0');
    return { orphans, expired, files: await this.files.expire(this.store.ttlSeconds) };
  }

  private async sweepQuietly(): Promise<void> {
    try {
      const { orphans, expired, files } = await this.sweep();
      if (orphans || expired || files) {
        this.logger.log(`ephemeral rooms swept: ${orphans} orphaned room(s) removed, ${expired} expired message(s), ${files} file(s)`);
      }
    } catch (err) {
      this.logger.warn(`ephemeral room sweep failed: ${String(err)}`);
    }
  }
}
