import { fromBufferPromise } from 'yauzl';

/** Every entry of a zip: a file's bytes, or null for a folder. Tests only: reads it all in memory. */
export async function unzip(zip: Buffer): Promise<Map<string, Buffer | null>> {
  const archive = await fromBufferPromise(zip, { lazyEntries: true });
  const out = new Map<string, Buffer | null>();
  for await (const entry of archive.eachEntry()) {
    if (entry.fileName.endsWith('/')) {
      out.set(entry.fileName, null);
      continue;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of await archive.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    out.set(entry.fileName, Buffer.concat(chunks));
  }
  return out;
}

/** Every entry of a zip: a file's text, or null for a folder. Tests only: reads it all in memory. */
export async function unzipText(zip: Buffer): Promise<Map<string, string | null>> {
  return new Map([...(await unzip(zip))].map(([name, bytes]) => [name, bytes === null ? null : bytes.toString('utf8')]));
}
