import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { AppError } from '@chatbox/server-common';
import type { AppConfig } from '@chatbox/server-config';
import { SMALL_TRANSFER_BYTES, TransferSlots } from './transfer-slots';

const LARGE = SMALL_TRANSFER_BYTES + 1;

const slots = (concurrency: number, queueMax: number) => new TransferSlots({ storage: { transfers: { concurrency, queueMax } } } as AppConfig);

/** An answer being sent; close() is the client getting it (or going away). */
class FakeResponse extends EventEmitter {
  writableFinished = false;
  destroyed = false;
  socket: { destroyed: boolean } | null = { destroyed: false };
  close(): void {
    this.destroyed = true;
    this.emit('close');
  }
}
const response = () => new FakeResponse() as FakeResponse & Response;

/** Lets every pending promise callback run. */
const settle = () => new Promise((r) => setImmediate(r));

test('past the concurrency, large transfers wait and go in the order they came as slots free', async () => {
  const s = slots(2, 10);
  const [a, b, c, d] = [response(), response(), response(), response()];
  const started: string[] = [];
  for (const [name, res] of [['a', a], ['b', b], ['c', c], ['d', d]] as const) void s.acquire(res, LARGE).then(() => started.push(name));
  await settle();
  assert.deepEqual(started, ['a', 'b']);
  assert.deepEqual(s.load, { running: 2, waiting: 2 });
  b.close();
  await settle();
  assert.deepEqual(started, ['a', 'b', 'c']);
  a.close();
  await settle();
  assert.deepEqual(started, ['a', 'b', 'c', 'd']);
  c.close();
  d.close();
  assert.deepEqual(s.load, { running: 0, waiting: 0 });
});

test('small transfers never wait, and transfers of unknown size count as large', async () => {
  const s = slots(1, 10);
  await s.acquire(response(), LARGE);
  await s.acquire(response(), SMALL_TRANSFER_BYTES);
  await s.acquire(response(), 0);
  let unknownStarted = false;
  void s.acquire(response(), undefined).then(() => (unknownStarted = true));
  await settle();
  assert.equal(unknownStarted, false);
  assert.deepEqual(s.load, { running: 1, waiting: 1 });
});

test('past TRANSFER_QUEUE_MAX waiting, a transfer is refused with 503 unavailable', async () => {
  const s = slots(1, 1);
  await s.acquire(response(), LARGE);
  void s.acquire(response(), LARGE);
  await assert.rejects(s.acquire(response(), LARGE), (err: unknown) => err instanceof AppError && err.code === 'unavailable');
  assert.deepEqual(s.load, { running: 1, waiting: 1 });
});

test('a client that went away while waiting hands its slot on at once', async () => {
  const s = slots(1, 10);
  const [a, gone, c] = [response(), response(), response()];
  await s.acquire(a, LARGE);
  const goneTurn = s.acquire(gone, LARGE);
  let cStarted = false;
  void s.acquire(c, LARGE).then(() => (cStarted = true));
  gone.close();
  a.close();
  await goneTurn;
  await settle();
  assert.equal(cStarted, true);
  assert.deepEqual(s.load, { running: 1, waiting: 0 });
});
