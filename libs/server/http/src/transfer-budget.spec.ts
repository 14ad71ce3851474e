import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AppConfig } from '@chatbox/server-config';
import { ByteBudget, TransferBudget, YOUNG_COLLECTION_BYTES, YoungCollections, youngCollector } from './transfer-budget';
import { SMALL_TRANSFER_BYTES } from './transfer-slots';

const KB = 1024;
const CHUNK = 64 * KB;

/** `bytes` in 64 KB chunks, as a socket or a file gives them. */
const source = (bytes: number) => Readable.from((function* () { for (let sent = 0; sent < bytes; sent += CHUNK) yield Buffer.alloc(Math.min(CHUNK, bytes - sent), sent / CHUNK); })(), { objectMode: false });

/** Streams `bytes` through `budget`'s pacer; answers the bytes that came out. */
async function pace(budget: ByteBudget, bytes: number): Promise<number> {
  let received = 0;
  await pipeline(source(bytes), budget.pacer(), new Writable({ write: (chunk: Buffer, _e, done) => ((received += chunk.length), done()) }));
  return received;
}

test('a reservation past the budget waits for it, and the next one waits behind it (no more than burst + rate x T in T)', () => {
  let now = 0;
  const budget = new ByteBudget(1_000_000, () => now);
  assert.equal(budget.reserve(CHUNK), 0, 'the burst goes at once');
  assert.equal(budget.reserve(100_000), 100);
  assert.equal(budget.reserve(100_000), 200);
  now = 250;
  assert.equal(budget.reserve(100_000), 50, 'the debt was paid off at t=200 ms, 50 KB saved up since');
  now = 10_000;
  // after a long idle spell, only the burst is saved up, not 10 s worth
  assert.equal(budget.reserve(CHUNK), 0);
  assert.equal(budget.reserve(100_000), 100);
});

test('a stream through the pacer moves at the budget rate, and every byte comes out', async () => {
  const bytesPerSecond = 1024 * KB;
  const bytes = 640 * KB;
  const started = performance.now();
  assert.equal(await pace(new ByteBudget(bytesPerSecond), bytes), bytes);
  const ms = performance.now() - started;
  // the first 64 KB (the burst) go at once, the other 576 KB at 1 MB/s: 562 ms
  assert.ok(ms >= 540, `took ${ms} ms`);
  assert.ok(ms < 3_000, `took ${ms} ms`);
});

test('concurrent streams share one budget: together they take as long as one stream of both sizes', async () => {
  const budget = new ByteBudget(1024 * KB);
  const started = performance.now();
  const received = await Promise.all([pace(budget, 320 * KB), pace(budget, 320 * KB)]);
  const ms = performance.now() - started;
  assert.deepEqual(received, [320 * KB, 320 * KB]);
  assert.ok(ms >= 540, `took ${ms} ms (each stream alone at the rate: ~250 ms)`);
  assert.ok(ms < 3_000, `took ${ms} ms`);
});

test('TRANSFER_BYTES_PER_SECOND=0 paces nothing; otherwise files over 1 MB and of unknown size are paced, small ones not', () => {
  const budget = (bytesPerSecond: number) => new TransferBudget({ storage: { transfers: { concurrency: 2, queueMax: 10, bytesPerSecond } } } as AppConfig);
  const unlimited = budget(0);
  assert.equal(unlimited.pacer(100 * SMALL_TRANSFER_BYTES), undefined);
  assert.equal(unlimited.pacer(undefined), undefined);
  const limited = budget(1024 * KB);
  assert.equal(limited.pacer(SMALL_TRANSFER_BYTES), undefined);
  assert.ok(limited.pacer(SMALL_TRANSFER_BYTES + 1));
  assert.ok(limited.pacer(undefined));
});

test('the bytes paced ask for a young-generation collection every YOUNG_COLLECTION_BYTES (their buffers are freed before they count towards a full one)', async () => {
  let collections = 0;
  const budget = new ByteBudget(1024 * 1024 * KB, undefined, new YoungCollections(YOUNG_COLLECTION_BYTES, () => collections++));
  assert.equal(await pace(budget, YOUNG_COLLECTION_BYTES - CHUNK), YOUNG_COLLECTION_BYTES - CHUNK);
  assert.equal(collections, 0);
  await pace(budget, CHUNK);
  assert.equal(collections, 1);
  await pace(budget, 2 * YOUNG_COLLECTION_BYTES);
  assert.equal(collections, 3);
});

test('youngCollector runs a real young-generation collection (no --expose-gc needed), and leaves gc() hidden', async () => {
  const collect = youngCollector();
  assert.ok(collect, 'this V8 offers gc()');
  const seen = new Promise<void>((resolve) => {
    const observer = new PerformanceObserver((list) => {
      if (list.getEntries().some((e) => (e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR)) {
        observer.disconnect();
        resolve();
      }
    });
    observer.observe({ entryTypes: ['gc'] });
  });
  // the collection runs as a task of the event loop's: something must keep the loop going until it has
  const alive = setTimeout(() => undefined, 10_000);
  collect();
  await seen;
  clearTimeout(alive);
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined');
});
