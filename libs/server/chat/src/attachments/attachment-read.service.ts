import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@chatbox/server-common';
import { ByteRange, FILE_STORE, FileStore, OpenedFile } from '@chatbox/server-storage';
import { AttachmentRepository, ReadableAttachment } from './attachment.repository';
import { THUMBNAIL_TYPE } from './image-derivatives';
import { EphemeralRoomStore } from '../ephemeral/ephemeral-room.store';

/** An attachment's bytes as the api serves them. */
export type AttachmentDownload = { name: string; contentType: string } & OpenedFile;

/**
 * Who may read an attachment's bytes (API.md "Attachments"): its uploader, and the members of a
 * live conversation whose message holds it; anybody else gets 404, as for a missing one.
 */
@Injectable()
export class AttachmentReadService {
  constructor(
    private readonly attachments: AttachmentRepository,
    private readonly rooms: EphemeralRoomStore,
    @Inject(FILE_STORE) private readonly store: FileStore,
  ) {}

  /**
   * The attachment the caller may read (its size is the original's), else 404. One sent in an
   * ephemeral room is read only while its message is there (not deleted, not expired).
   */
  async find(userId: string, id: string): Promise<ReadableAttachment> {
    const found = await this.attachments.readable(id, userId);
    if (!found) throw AppError.notFound('Attachment');
    const { room, ...attachment } = found;
    if (room) {
      const message = await this.rooms.one(room.roomId, room.messageId);
      if (!message || message.deletedAt !== null) throw AppError.notFound('Attachment');
    }
    return { ...attachment, size: Number(attachment.size) };
  }

  /** The original's bytes (or `range` of them); 404 when the bytes are gone. */
  async original(attachment: ReadableAttachment, range?: ByteRange): Promise<AttachmentDownload> {
    return { name: attachment.name, contentType: attachment.contentType, ...(await this.open(attachment.storageKey, range)) };
  }

  /** An image's thumbnail; 404 for other files. */
  async thumbnail(attachment: ReadableAttachment): Promise<AttachmentDownload> {
    if (!attachment.thumbnailKey) throw AppError.notFound('Thumbnail');
    return { name: 'thumbnail.webp', contentType: THUMBNAIL_TYPE, ...(await this.open(attachment.thumbnailKey)) };
  }

  private async open(key: string, range?: ByteRange): Promise<OpenedFile> {
    const opened = await this.store.open(key, range);
    if (!opened) throw AppError.notFound('Attachment');
    return opened;
  }
}
