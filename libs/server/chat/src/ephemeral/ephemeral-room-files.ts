import { Injectable } from '@nestjs/common';
import type { TAttachment } from '@chatbox/contracts';
import { AppError } from '@chatbox/server-common';
import { AttachmentPurger } from '../attachments/attachment-purger';
import { AttachmentRepository, RoomMessage } from '../attachments/attachment.repository';
import { toAttachment } from '../attachments/attachment.mapper';
import { attachmentsRefused } from '../attachments/send-problem';

/**
 * Files sent in an ephemeral room (API.md "Groups, version 2": attachments work there too). The
 * upload's row is in PostgreSQL from the upload on (POST /api/uploads answers before any room is
 * named), with the file's metadata only: name, type, size, where the bytes are. Sending it into a
 * room ties the row to the room and to the message's id in Redis, nothing of the message's text.
 * The row and the bytes go with the message, with the room, and at the room's time-to-live; only
 * the room's members read them, while the message is there (AttachmentReadService).
 */
@Injectable()
export class EphemeralRoomFiles {
  constructor(
    private readonly attachments: AttachmentRepository,
    private readonly purger: AttachmentPurger,
  ) {}

  /** Ties the sender's unsent uploads to the room's new message, all or none; else the contract's 400. */
  async claim(senderId: string, ids: readonly string[], room: RoomMessage, anonymous: boolean): Promise<TAttachment[]> {
    const claimed = await this.attachments.claimForRoom(senderId, ids, room, anonymous);
    if (claimed) return claimed.map(toAttachment);
    const [problem] = await this.attachments.sendProblems(senderId, ids);
    // every one claimable again: a concurrent send released them meanwhile; the client retries
    throw problem ? attachmentsRefused(problem) : AppError.conflict('These files are being sent in another message; try again.');
  }

  /** The message was not stored after all: the uploads are the sender's unsent ones again. */
  release(senderId: string, room: RoomMessage): Promise<void> {
    return this.attachments.releaseRoomClaim(senderId, room);
  }

  /** The message was deleted: its files are unreadable from now on, their bytes removed. */
  async messageDeleted(room: RoomMessage): Promise<void> {
    await this.purger.afterMarked(await this.attachments.markRoomDeleted(room.roomId, room.messageId));
  }

  /** The room is gone (its last member left): every file sent in it. */
  async roomGone(roomId: string): Promise<void> {
    await this.purger.afterMarked(await this.attachments.markRoomDeleted(roomId));
  }

  /** The sweeper's part: files whose message outlived the time-to-live, or whose room's row is gone. */
  async expire(ttlSeconds: number): Promise<number> {
    const marked = await this.attachments.markRoomsExpired(ttlSeconds);
    await this.purger.afterMarked(marked);
    return marked.length;
  }
}
