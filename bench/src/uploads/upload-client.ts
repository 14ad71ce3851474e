import http from 'node:http';
import { performance } from 'node:perf_hooks';

const MB = 1024 * 1024;
/** One random block, shared by every file: the bench process does not hold 50 files either. */
const BLOCK = Buffer.from(Array.from({ length: 64 * 1024 }, () => Math.floor(Math.random() * 256)));

/**
 * Milliseconds this process spent making and checking file bytes (the upload's blocks, the
 * download's comparison): the process moving the files (the driver, or the alongside lanes'
 * child) runs on the api's cores, so its share of them is reported.
 */
export const byteWork = { ms: 0 };

export type Uploaded = { id: string; url: string; size: number; ms: number };
/** intact: every byte is the one uploadFile sent for that index. */
export type Downloaded = { bytes: number; intact: boolean; ms: number };

/** File `index`'s first block: the shared one with the index in its first 4 bytes, so no two files are alike. */
function firstBlockOf(index: number): Buffer {
  const block = Buffer.from(BLOCK);
  block.writeUInt32BE(index, 0);
  return block;
}

/**
 * Whether `chunk`, found at `offset` of a file whose first block is `first`, holds the bytes
 * uploadFile sent there: compared with the block it came from (a memcmp), which costs the driver
 * a fraction of hashing both sides (SHA-256 took it 2.5 of 4 CPU s in an 8 s window).
 */
function matchesFile(first: Buffer, offset: number, chunk: Buffer): boolean {
  for (let at = 0; at < chunk.length; ) {
    const position = offset + at;
    const inBlock = position % BLOCK.length;
    const length = Math.min(BLOCK.length - inBlock, chunk.length - at);
    const expected = position < BLOCK.length ? first : BLOCK;
    if (chunk.compare(expected, inBlock, inBlock + length, at, at + length) !== 0) return false;
    at += length;
  }
  return true;
}

/**
 * POST /api/uploads as a browser does (multipart/form-data, field `file`), the file's bytes made
 * block by block as the socket takes them: `sizeBytes` of data unique to `index` (its first block
 * carries the index), named bench-<index>.bin.
 */
export function uploadFile(baseUrl: string, token: string, index: number, sizeBytes: number): Promise<Uploaded> {
  const boundary = `----chatbox-bench-${index}-${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench-${index}.bin"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}/api/uploads`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': head.length + sizeBytes + tail.length,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode !== 201) return reject(new Error(`upload ${index}: ${res.statusCode} ${text.slice(0, 300)}`));
        const body = JSON.parse(text) as { id: string; url: string; size: number };
        resolve({ id: body.id, url: body.url, size: body.size, ms: performance.now() - started });
      });
    });
    req.write(head);
    let sent = 0;
    const writeMore = () => {
      while (sent < sizeBytes) {
        const t0 = performance.now();
        const block = (sent === 0 ? firstBlockOf(index) : BLOCK).subarray(0, Math.min(BLOCK.length, sizeBytes - sent));
        sent += block.length;
        byteWork.ms += performance.now() - t0;
        if (!req.write(block)) return void req.once('drain', writeMore);
      }
      req.end(tail);
    };
    writeMore();
  });
}

/** GET an attachment's url (of file `index`), checking the body against what was uploaded as it streams in. */
export function downloadFile(baseUrl: string, token: string, url: string, index: number): Promise<Downloaded> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(url, baseUrl), { headers: { authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => reject(new Error(`download ${url}: ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`)));
        return;
      }
      const first = firstBlockOf(index);
      let bytes = 0;
      let intact = true;
      res.on('data', (chunk: Buffer) => {
        const t0 = performance.now();
        intact &&= matchesFile(first, bytes, chunk);
        bytes += chunk.length;
        byteWork.ms += performance.now() - t0;
      });
      res.on('error', reject);
      res.on('end', () => resolve({ bytes, intact, ms: performance.now() - started }));
    });
    req.on('error', reject);
  });
}

/** Megabytes (2^20 bytes) per second. */
export const mbPerSecond = (bytes: number, ms: number) => Math.round((bytes / MB / (ms / 1000)) * 10) / 10;
