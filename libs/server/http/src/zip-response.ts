import { Readable } from 'node:stream';
import type { Response } from 'express';
import { ZipFile } from 'yazl';

/** A zip entry: its text or bytes read chunk by chunk when yazl reaches it, or a folder (no content). */
export type ZipEntry = { path: string; content?: () => AsyncIterable<string | Buffer> };

/**
 * Streams a zip of `entries` as the answer (yazl, deflated): each entry's content is read only
 * when the zip reaches it, so nothing but the current chunk is held in memory. A failure after
 * the first byte can no longer change the status: the connection is cut, and the client sees a
 * broken download rather than a zip that looks complete.
 */
export function sendZip(res: Response, fileName: string, entries: readonly ZipEntry[]): Promise<void> {
  const zip = new ZipFile();
  const mtime = new Date();
  for (const entry of entries) {
    const content = entry.content;
    if (content) zip.addReadStreamLazy(entry.path, { mtime }, (cb) => cb(null, Readable.from(asBuffers(content()))));
    else zip.addEmptyDirectory(entry.path, { mtime });
  }
  zip.end();
  res.status(200);
  res.setHeader('Content-Type', 'application/zip');
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  return new Promise<void>((resolve, reject) => {
    const fail = (err: unknown) => {
      res.destroy(err instanceof Error ? err : new Error(String(err)));
      reject(err);
    };
    zip.on('error', fail);
    zip.outputStream.on('error', fail);
    res.on('close', () => (res.writableFinished ? resolve() : fail(new Error('the client went away during the download'))));
    zip.outputStream.pipe(res);
  });
}

async function* asBuffers(chunks: AsyncIterable<string | Buffer>): AsyncIterable<Buffer> {
  for await (const chunk of chunks) yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}
