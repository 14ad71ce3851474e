import type { Readable } from 'node:stream';

/** Injection token of the FileStore the api and worker use (see StorageModule). */
export const FILE_STORE = Symbol('FILE_STORE');

/** A byte range, both ends inclusive (as in an HTTP Range header). */
export type ByteRange = { start: number; end: number };

export type OpenedFile = {
  body: Readable;
  /** The whole object's size in bytes, whatever range was asked for. */
  size: number;
};

/**
 * Where attachment bytes live. Only the bytes: names, types, owners and who may read them are
 * metadata in PostgreSQL. Keys are opaque, made by the caller of [a-zA-Z0-9/_.-].
 */
export interface FileStore {
  /**
   * Streams `body` to `key` and resolves with the number of bytes written. A body that errors
   * (too large, client gone) rejects and leaves nothing behind under `key`.
   */
  put(key: string, body: Readable, contentType: string): Promise<{ size: number }>;
  /** The object's bytes (or `range` of them), or null when there is no such object. */
  open(key: string, range?: ByteRange): Promise<OpenedFile | null>;
  /** Removes the objects; keys that do not exist are ignored. */
  delete(keys: readonly string[]): Promise<void>;
}
