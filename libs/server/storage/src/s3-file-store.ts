import { DeleteObjectsCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform, pipeline } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import type { ByteRange, FileStore, OpenedFile } from './file-store.port';
import { assertFileStoreKey } from './file-store-key';

export type S3FileStoreOptions = {
  bucket: string;
  /** An S3-compatible service's URL (MinIO, ...); undefined: AWS S3 itself. */
  endpoint?: string;
  region: string;
  /** Both or neither; neither: the SDK's default credential chain (instance role, ~/.aws, ...). */
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
  /** Where bodies are spooled before they are sent (default: the system's temporary directory). */
  spoolDir?: string;
  /** Larger files go as a multipart upload (default and most: 5 GiB, S3's limit of one PutObject). */
  singlePutMaxBytes?: number;
  /** Bytes of one multipart part (default 16 MiB; at least 5 MiB, S3's minimum); one in memory at a time. */
  partSize?: number;
};

/** S3 answers DeleteObjects for at most this many keys. */
const DELETE_BATCH = 1000;
const MIN_PART_SIZE = 5 * 1024 ** 2;
const MAX_SINGLE_PUT = 5 * 1024 ** 3;

/** Objects in one bucket of S3 or an S3-compatible service, keys used as they are. */
export class S3FileStore implements FileStore {
  /** Public for tests (request counting) and health checks. */
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly spoolDir: string;
  private readonly singlePutMaxBytes: number;
  private readonly partSize: number;

  constructor(options: S3FileStoreOptions) {
    this.bucket = options.bucket;
    this.spoolDir = options.spoolDir ?? tmpdir();
    this.singlePutMaxBytes = Math.min(options.singlePutMaxBytes ?? MAX_SINGLE_PUT, MAX_SINGLE_PUT);
    this.partSize = Math.max(options.partSize ?? 16 * 1024 ** 2, MIN_PART_SIZE);
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials:
        options.accessKeyId !== undefined && options.secretAccessKey !== undefined
          ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
          : undefined,
      // Checksums only where S3 requires them (DeleteObjects): the SDK's newer default (a CRC
      // trailer on every upload) is refused by many S3-compatible services and older MinIO.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /**
   * The body is spooled to a temporary file first, then sent with its length known: S3 needs the
   * length of a PutObject, and without it every put would hold a whole multipart part (5 MiB, S3's
   * minimum) in memory; 50 uploads at once held 400 MB that way (bench/README.md). From the file
   * the request streams, and a slow client holds only disk, never memory or a connection to S3.
   * A failed body leaves nothing: S3 is not asked before the body has ended.
   */
  async put(key: string, body: Readable, contentType: string): Promise<{ size: number }> {
    assertFileStoreKey(key);
    const spool = join(this.spoolDir, `chatbox-s3-put-${randomUUID()}`);
    try {
      await pipelineAsync(body, createWriteStream(spool, { flags: 'wx' }));
      const { size } = await stat(spool);
      const params = { Bucket: this.bucket, Key: key, Body: createReadStream(spool), ContentLength: size, ContentType: contentType };
      if (size <= this.singlePutMaxBytes) {
        await this.client.send(new PutObjectCommand(params));
      } else {
        // beyond one PutObject (5 GiB): part by part, the upload aborted when anything fails, so
        // no object and no stored parts remain
        await new Upload({ client: this.client, params, partSize: this.partSize, queueSize: 1, leavePartsOnError: false }).done();
      }
      return { size };
    } finally {
      await rm(spool, { force: true });
    }
  }

  async open(key: string, range?: ByteRange): Promise<OpenedFile | null> {
    assertFileStoreKey(key);
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      if (!(object.Body instanceof Readable)) throw new Error(`S3 GetObject ${key}: no readable body`);
      // `Content-Range: bytes a-b/size` when the server honoured a range
      const served = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(object.ContentRange ?? '');
      const size = served ? Number(served[3]) : object.ContentLength;
      if (size === undefined || !Number.isSafeInteger(size)) throw new Error(`S3 GetObject ${key}: no size`);
      if (!range) return { body: object.Body, size };
      // a server or proxy may ignore a range (a 200 with every byte) or widen it (s3rver serves
      // all of `bytes=0-0`): cut what was asked for out of what came
      const servedStart = served ? Number(served[1]) : 0;
      const servedEnd = served ? Number(served[2]) : size - 1;
      const end = Math.min(range.end, size - 1);
      if (servedStart === range.start && servedEnd === end) return { body: object.Body, size };
      if (servedStart > range.start || servedEnd < end) throw new Error(`S3 GetObject ${key}: asked for bytes ${range.start}-${end}, got ${servedStart}-${servedEnd}`);
      const window = byteWindow(range.start - servedStart, end - range.start + 1);
      pipeline(object.Body, window, () => undefined);
      return { body: window, size };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    keys.forEach(assertFileStoreKey);
    for (let from = 0; from < keys.length; from += DELETE_BATCH) {
      const batch = keys.slice(from, from + DELETE_BATCH);
      // S3 reports a key that does not exist as deleted: nothing to filter out
      const answer = await this.client.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
      );
      const failed = (answer.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
      if (failed.length > 0) {
        throw new Error(`S3 DeleteObjects failed for ${failed.length} key(s), e.g. ${failed[0]!.Key}: ${failed[0]!.Code} ${failed[0]!.Message}`);
      }
    }
  }

  /** Closes the client's connections (tests, shutdown). */
  destroy(): void {
    this.client.destroy();
  }
}

/** Passes `length` bytes of a stream after skipping its first `skip` bytes. */
function byteWindow(skip: number, length: number): Transform {
  let position = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const from = Math.max(skip - position, 0);
      const to = Math.min(skip + length - position, chunk.length);
      position += chunk.length;
      done(null, from < to ? chunk.subarray(from, to) : undefined);
    },
  });
}

/** No such key; a missing bucket is a misconfiguration, not a missing file. */
function isMissing(error: unknown): boolean {
  if (!(error instanceof S3ServiceException) || error.name === 'NoSuchBucket') return false;
  return error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404;
}
