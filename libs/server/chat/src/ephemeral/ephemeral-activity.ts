import { Injectable, Logger } from '@nestjs/common';
import { EphemeralRoomRepository } from './ephemeral-room.repository';

/** A busy room moves up the conversation lists at most this often per process. */
const TOUCH_EVERY_MS = 2_000;

/**
 * Keeps an ephemeral room's place in "most recent activity first" (Conversation.lastActivityAt,
 * a time, no content) without a PostgreSQL write per message: at most one per room every
 * TOUCH_EVERY_MS, never waited for by the send.
 */
@Injectable()
export class EphemeralActivity {
  private readonly logger = new Logger(EphemeralActivity.name);
  private readonly lastTouch = new Map<string, number>();

  constructor(private readonly repo: EphemeralRoomRepository) {}

  touch(conversationId: string, now = Date.now()): void {
    const last = this.lastTouch.get(conversationId);
    if (last !== undefined && now - last < TOUCH_EVERY_MS) return;
    this.lastTouch.set(conversationId, now);
    if (this.lastTouch.size > 10_000) this.lastTouch.delete(this.lastTouch.keys().next().value as string);
    this.repo.touch(conversationId).catch((err: unknown) => this.logger.warn(`activity of room ${conversationId} not recorded: ${String(err)}`));
  }
}
