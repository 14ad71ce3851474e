import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FileStore } from './file-store.port';

/** A store under test, and a look behind it at what its storage really holds. */
export type FileStoreFixture = {
  store: FileStore;
  /** Every file or object the storage holds, half-written ones included (relative paths or keys). */
  storedNames: () => Promise<string[]>;
  close: () => Promise<void>;
};

const MB = 1024 * 1024;
/** Big enough that buffering it would show whatever else the process holds; several S3 parts. */
const LARGE_FILE_BYTES = 48 * MB;

const bodyOf = (...parts: string[]) => Readable.from(parts.map((part) => Buffer.from(part)));

async function read(store: FileStore, key: string, range?: { start: number; end: number }): Promise<{ text: string; size: number } | null> {
  const opened = await store.open(key, range);
  return opened && { text: (await buffer(opened.body)).toString(), size: opened.size };
}

/** `total` bytes of a repeating pattern, made chunk by chunk as they are read (never held whole). */
function generated(total: number, chunkSize = 64 * 1024): { body: Readable; sha256: () => string } {
  const hash = createHash('sha256');
  let sent = 0;
  const body = new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const chunk = Buffer.alloc(Math.min(chunkSize, total - sent), sent % 251);
      sent += chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { body, sha256: () => hash.digest('hex') };
}

/** A body that sends `bytes` bytes, then fails as a request whose client went away. */
function failingAfter(bytes: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= bytes) return void this.destroy(new Error('client went away'));
      const chunk = Buffer.alloc(Math.min(256 * 1024, bytes - sent), 7);
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

/** A full garbage collection, to measure what is held rather than what is not collected yet. */
const collectGarbage = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/**
 * Peak growth of this process's memory while `run` runs, sampled every 100 ms: `held` is the
 * JavaScript heap and buffers right after a full collection (what a store keeps), `rss` the
 * resident size at the same moments.
 */
async function memoryGrowthDuring(run: () => Promise<void>): Promise<{ held: number; rss: number }> {
  // two collections a turn of the event loop apart: V8 frees the buffers of the first one's
  // garbage in the background, so one collection alone still counts some of them
  const measure = async () => {
    collectGarbage();
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    const usage = process.memoryUsage();
    return { held: usage.heapUsed + usage.external, rss: usage.rss };
  };
  const idle = await measure();
  const peak = { ...idle };
  let sampling: Promise<void> | undefined;
  const sample = () =>
    (sampling ??= measure().then((now) => {
      peak.held = Math.max(peak.held, now.held);
      peak.rss = Math.max(peak.rss, now.rss);
      sampling = undefined;
    }));
  const sampler = setInterval(() => void sample(), 100);
  try {
    await run();
  } finally {
    clearInterval(sampler);
    await sampling;
  }
  return { held: peak.held - idle.held, rss: peak.rss - idle.rss };
}

/**
 * What every FileStore does, whatever keeps the bytes: one suite run against each store (the local
 * disk, S3 through a real S3-compatible server), so the two cannot drift apart.
 */
export function describeFileStore(name: string, makeFixture: () => Promise<FileStoreFixture>): void {
  describe(`FileStore conformance: ${name}`, () => {
    let fixture: FileStoreFixture;
    let store: FileStore;
    before(async () => {
      fixture = await makeFixture();
      store = fixture.store;
    });
    after(() => fixture.close());

    test('a stored file reads back whole, with its size, and by inclusive byte range with the whole size', async () => {
      assert.deepEqual(await store.put('conf/range/file.txt', bodyOf('hello ', 'world'), 'text/plain'), { size: 11 });
      assert.deepEqual(await read(store, 'conf/range/file.txt'), { text: 'hello world', size: 11 });
      assert.deepEqual(await read(store, 'conf/range/file.txt', { start: 6, end: 10 }), { text: 'world', size: 11 });
      assert.deepEqual(await read(store, 'conf/range/file.txt', { start: 0, end: 0 }), { text: 'h', size: 11 });
      assert.deepEqual(await read(store, 'conf/range/file.txt', { start: 4, end: 6 }), { text: 'o w', size: 11 });
    });

    test('an empty file is stored and read back empty', async () => {
      assert.deepEqual(await store.put('conf/empty', Readable.from([]), 'application/octet-stream'), { size: 0 });
      assert.deepEqual(await read(store, 'conf/empty'), { text: '', size: 0 });
    });

    test('a second put under a key replaces the first', async () => {
      await store.put('conf/replace', bodyOf('first version'), 'text/plain');
      await store.put('conf/replace', bodyOf('second'), 'text/plain');
      assert.deepEqual(await read(store, 'conf/replace'), { text: 'second', size: 6 });
    });

    test('a key that was never stored opens as null, as does a "directory" of stored keys', async () => {
      assert.equal(await store.open('conf/never/stored'), null);
      assert.equal(await store.open('conf/never/stored', { start: 0, end: 3 }), null);
      await store.put('conf/dir/inside', bodyOf('x'), 'text/plain');
      assert.equal(await store.open('conf/dir'), null);
    });

    test('keys with slashes are independent objects: deleting one leaves its neighbours', async () => {
      await store.put('conf/u/1/a.png', bodyOf('A'), 'image/png');
      await store.put('conf/u/1/b.png', bodyOf('B'), 'image/png');
      await store.put('conf/u/2/a.png', bodyOf('C'), 'image/png');
      await store.delete(['conf/u/1/a.png']);
      assert.equal(await store.open('conf/u/1/a.png'), null);
      assert.equal((await read(store, 'conf/u/1/b.png'))?.text, 'B');
      assert.equal((await read(store, 'conf/u/2/a.png'))?.text, 'C');
    });

    test('delete removes the bytes from the storage, ignores missing keys, and may be repeated', async () => {
      await store.put('conf/del/one', bodyOf('1'), 'text/plain');
      await store.put('conf/del/two', bodyOf('2'), 'text/plain');
      await store.delete(['conf/del/one', 'conf/del/never', 'conf/del/two']);
      assert.equal(await store.open('conf/del/one'), null);
      assert.equal(await store.open('conf/del/two'), null);
      assert.deepEqual((await fixture.storedNames()).filter((n) => n.includes('conf/del')), []);
      await store.delete(['conf/del/one', 'conf/del/two']);
      await store.delete([]);
    });

    test('a body that fails leaves nothing behind, neither a small one nor one past the first MBs', async () => {
      for (const [key, bytes] of [['conf/fail/small', 1000], ['conf/fail/large', 12 * MB]] as const) {
        await assert.rejects(store.put(key, failingAfter(bytes), 'application/octet-stream'), /client went away/, key);
        assert.equal(await store.open(key), null, key);
      }
      assert.deepEqual((await fixture.storedNames()).filter((n) => n.includes('conf/fail')), []);
    });

    test(`a ${LARGE_FILE_BYTES / MB} MB file is streamed through, never held in memory`, async (t) => {
      const source = generated(LARGE_FILE_BYTES);
      let size = 0;
      const growth = await memoryGrowthDuring(async () => {
        ({ size } = await store.put('conf/large/file.bin', source.body, 'application/octet-stream'));
      });
      assert.equal(size, LARGE_FILE_BYTES);
      const report = `storing ${LARGE_FILE_BYTES / MB} MB: held memory grew ${(growth.held / MB).toFixed(1)} MB at most, RSS ${(growth.rss / MB).toFixed(1)} MB`;
      t.diagnostic(report);
      // what the process holds after a full collection is the measure; RSS (in the report) also
      // counts freed pages the allocator keeps, and swung to 30 MB in a loaded CI run
      assert.ok(growth.held < LARGE_FILE_BYTES / 3, report);
      const opened = await store.open('conf/large/file.bin');
      assert.equal(opened?.size, LARGE_FILE_BYTES);
      const readBack = createHash('sha256');
      for await (const chunk of opened!.body) readBack.update(chunk as Buffer);
      assert.equal(readBack.digest('hex'), source.sha256());
      const tail = await read(store, 'conf/large/file.bin', { start: LARGE_FILE_BYTES - 3, end: LARGE_FILE_BYTES - 1 });
      assert.equal(tail?.size, LARGE_FILE_BYTES);
      assert.equal(tail?.text.length, 3);
      await store.delete(['conf/large/file.bin']);
    });

    test('10 files of 6 MB stored at once: memory holds a small share of them, not the files', async (t) => {
      const sources = Array.from({ length: 10 }, () => generated(6 * MB));
      const growth = await memoryGrowthDuring(async () => {
        await Promise.all(sources.map((source, i) => store.put(`conf/concurrent/${i}`, source.body, 'application/octet-stream')));
      });
      const report = `storing 10 x 6 MB at once: held memory grew ${(growth.held / MB).toFixed(1)} MB at most, RSS ${(growth.rss / MB).toFixed(1)} MB`;
      t.diagnostic(report);
      // one multipart part (5 MB, S3's minimum) per put would already be 50 MB
      assert.ok(growth.held < 20 * MB, report);
      for (const [i, source] of sources.entries()) {
        const readBack = createHash('sha256');
        for await (const chunk of (await store.open(`conf/concurrent/${i}`))!.body) readBack.update(chunk as Buffer);
        assert.equal(readBack.digest('hex'), source.sha256(), `file ${i}`);
      }
      await store.delete(sources.map((_, i) => `conf/concurrent/${i}`));
    });

    test('keys that could leave the store are refused by put, open and delete', async () => {
      for (const key of ['../escape', 'a/../../b', '/abs', 'a//b', 'a\\b', '', 'a/./b', 'trailing/']) {
        await assert.rejects(store.put(key, bodyOf('x'), 'text/plain'), /invalid file store key/, key);
        await assert.rejects(store.open(key), /invalid file store key/, key);
        await assert.rejects(store.delete(['ok', key]), /invalid file store key/, key);
      }
    });
  });
}
