import { createHash } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const MB = 1024 * 1024;
/** One random block, shared by every file: the bench process does not hold 50 files either. */
const BLOCK = Buffer.from(Array.from({ length: 64 * 1024 }, () => Math.floor(Math.random() * 256)));

/**
 * Milliseconds this process spent making and hashing file bytes (the upload's blocks, both
 * sides' SHA-256): the driver runs on the api's cores, so its share of them is reported.
 */
export const driverByteWork = { ms: 0 };

export type Uploaded = { id: string; url: string; size: number; sha256: string; ms: number };
export type Downloaded = { bytes: number; sha256: string; ms: number };

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
  const hash = createHash('sha256');
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
        resolve({ id: body.id, url: body.url, size: body.size, sha256: hash.digest('hex'), ms: performance.now() - started });
      });
    });
    req.write(head);
    let sent = 0;
    const writeMore = () => {
      while (sent < sizeBytes) {
        const t0 = performance.now();
        let block = BLOCK.subarray(0, Math.min(BLOCK.length, sizeBytes - sent));
        if (sent === 0) {
          block = Buffer.from(block);
          block.writeUInt32BE(index, 0);
        }
        sent += block.length;
        hash.update(block);
        driverByteWork.ms += performance.now() - t0;
        if (!req.write(block)) return void req.once('drain', writeMore);
      }
      req.end(tail);
    };
    writeMore();
  });
}

/** GET an attachment's url, reading (and hashing) the body as it streams in. */
export async function downloadFile(baseUrl: string, token: string, url: string): Promise<Downloaded> {
  const started = performance.now();
  const res = await fetch(new URL(url, baseUrl), { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200 || !res.body) throw new Error(`download ${url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of res.body) {
    const t0 = performance.now();
    bytes += chunk.length;
    hash.update(chunk);
    driverByteWork.ms += performance.now() - t0;
  }
  return { bytes, sha256: hash.digest('hex'), ms: performance.now() - started };
}

/** Megabytes (2^20 bytes) per second. */
export const mbPerSecond = (bytes: number, ms: number) => Math.round((bytes / MB / (ms / 1000)) * 10) / 10;
