import { Transform } from 'node:stream';

/** A pass-through that fails with `tooLarge()` as soon as more than `max` bytes went through. */
export function byteLimit(max: number, tooLarge: () => Error): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) done(tooLarge());
      else done(null, chunk);
    },
  });
}

/**
 * The first `n` bytes of a stream (fewer when it is shorter) and the whole stream again, those
 * bytes included, to read on: a look at the start without holding more than it.
 */
export async function peek(source: AsyncIterable<Buffer>, n: number): Promise<{ head: Buffer; whole: AsyncIterable<Buffer> }> {
  const it = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < n) {
    const next = await it.next();
    if (next.done) {
      ended = true;
      break;
    }
    chunks.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* whole(): AsyncIterable<Buffer> {
    if (head.length > 0) yield head;
    if (ended) return;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  }
  return { head: head.subarray(0, n), whole: whole() };
}
