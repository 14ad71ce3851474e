import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { TAttachment } from '@chatbox/contracts';
import { AppError } from '@chatbox/server-common';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { FILE_STORE, FileStore } from '@chatbox/server-storage';
import { sanitizeFileName } from './attachment-name';
import { toAttachment } from './attachment.mapper';
import { AttachmentRepository, StoredAttachment } from './attachment.repository';
import { byteLimit, peek } from './byte-limit';
import { ImageType, isImageType, SNIFF_BYTES, sniffContentType } from './content-type';
import { ImageDerivatives, THUMBNAIL_TYPE } from './image-derivatives';

/** Where an attachment's bytes are kept in the FileStore. */
export const attachmentKeys = (id: string) => ({ original: `attachments/${id}/original`, thumbnail: `attachments/${id}/thumbnail` });

const megabytes = (bytes: number): string => `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;

/**
 * POST /api/uploads: one file, streamed into the FileStore and never held whole in memory. Its
 * type is sniffed from its first bytes, its name sanitised; an image is re-encoded without its
 * metadata (through a temporary file, as decoding needs the whole image) and gets a thumbnail.
 * More than UPLOAD_MAX_BYTES is refused (413) as soon as the limit is passed, leaving nothing.
 */
@Injectable()
export class AttachmentUploadService {
  private readonly maxBytes: number;

  constructor(
    private readonly attachments: AttachmentRepository,
    @Inject(FILE_STORE) private readonly store: FileStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxBytes = config.storage.uploadMaxBytes;
  }

  /** The error answering an upload over the limit (413), naming the limit. */
  tooLarge(): AppError {
    return new AppError('payload_too_large', `The file is larger than the limit of ${megabytes(this.maxBytes)} (${this.maxBytes} bytes).`);
  }

  async upload(uploaderId: string, file: Readable, clientName: string | undefined): Promise<TAttachment> {
    const id = randomUUID();
    const keys = attachmentKeys(id);
    const limited = file.pipe(byteLimit(this.maxBytes, () => this.tooLarge()));
    file.on('error', (err) => limited.destroy(err));
    const { head, whole } = await peek(limited, SNIFF_BYTES);
    const contentType = await sniffContentType(head);
    const stored = isImageType(contentType)
      ? await this.storeImage(keys, contentType, whole)
      : { contentType, size: (await this.store.put(keys.original, Readable.from(whole, { objectMode: false }), contentType)).size, thumbnail: false, width: null, height: null };
    const attachment: StoredAttachment = {
      id,
      uploaderId,
      name: sanitizeFileName(clientName),
      contentType: stored.contentType,
      size: stored.size,
      width: stored.width,
      height: stored.height,
      thumbnail: stored.thumbnail,
      storageKey: keys.original,
      thumbnailKey: stored.thumbnail ? keys.thumbnail : null,
    };
    try {
      await this.attachments.create(attachment);
    } catch (err) {
      await this.store.delete([keys.original, keys.thumbnail]).catch(() => undefined);
      throw err;
    }
    return toAttachment(attachment);
  }

  /** Through a temporary file: the metadata-free original and the thumbnail; a file sharp cannot decode is kept as it came. */
  private async storeImage(keys: ReturnType<typeof attachmentKeys>, contentType: ImageType, body: AsyncIterable<Buffer>) {
    const temporary = join(tmpdir(), `chatbox-upload-${randomUUID()}`);
    try {
      await pipeline(Readable.from(body, { objectMode: false }), createWriteStream(temporary, { flags: 'wx' }));
      const image = await ImageDerivatives.of(temporary, contentType);
      if (!image) {
        const type = 'application/octet-stream';
        const { size } = await this.store.put(keys.original, createReadStream(temporary), type);
        return { contentType: type, size, thumbnail: false, width: null, height: null };
      }
      try {
        const [original] = await Promise.all([
          this.store.put(keys.original, image.original(), contentType),
          this.store.put(keys.thumbnail, image.thumbnail(), THUMBNAIL_TYPE),
        ]);
        return { contentType, size: original.size, thumbnail: true, width: image.info.width, height: image.info.height };
      } catch (err) {
        await this.store.delete([keys.original, keys.thumbnail]).catch(() => undefined);
        throw err;
      }
    } finally {
      await rm(temporary, { force: true });
    }
  }
}
