import { Inject, Injectable, Logger } from '@nestjs/common';
import { FILE_STORE, FileStore } from '@chatbox/server-storage';
import { AttachmentKeys, AttachmentRepository } from './attachment.repository';

/** Attachments whose bytes one round removes. */
const ROUND = 500;

/**
 * Removes the bytes of attachments marked deleted (their message was deleted, or they were never
 * sent in time), then their rows. The mark is made in the transaction that deletes the message,
 * so nobody can read them from then on; removing the bytes happens after the commit and may
 * fail (the store unreachable): the rows stay marked and the next cleanup run retries.
 */
@Injectable()
export class AttachmentPurger {
  private readonly logger = new Logger(AttachmentPurger.name);

  constructor(
    private readonly attachments: AttachmentRepository,
    @Inject(FILE_STORE) private readonly store: FileStore,
  ) {}

  /** Right after messages were deleted: their attachments' bytes. Never throws (the cleanup job retries). */
  async afterMessagesDeleted(messageIds: readonly string[]): Promise<void> {
    if (messageIds.length === 0) return;
    try {
      await this.removeBytes(await this.attachments.deleted(ROUND, messageIds));
    } catch (err) {
      this.logger.warn(`attachments of deleted messages stay for the cleanup job: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Attachments just marked deleted (an ephemeral room's): their bytes. Never throws (the cleanup job retries). */
  async afterMarked(round: readonly AttachmentKeys[]): Promise<void> {
    try {
      await this.removeBytes(round);
    } catch (err) {
      this.logger.warn(`attachments of a vanished message stay for the cleanup job: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** The cleanup job: uploads unsent after `orphanMaxAgeSeconds` are marked, then every marked one's bytes removed. */
  async sweep(orphanMaxAgeSeconds: number): Promise<{ orphaned: number; removed: number }> {
    const orphaned = await this.attachments.markUnsentDeleted(orphanMaxAgeSeconds);
    let removed = 0;
    for (;;) {
      const round = await this.attachments.deleted(ROUND);
      await this.removeBytes(round);
      removed += round.length;
      if (round.length < ROUND) return { orphaned, removed };
    }
  }

  private async removeBytes(round: ReadonlyArray<{ id: string; storageKey: string; thumbnailKey: string | null }>): Promise<void> {
    if (round.length === 0) return;
    await this.store.delete(round.flatMap((a) => (a.thumbnailKey ? [a.storageKey, a.thumbnailKey] : [a.storageKey])));
    await this.attachments.remove(round.map((a) => a.id));
  }
}
