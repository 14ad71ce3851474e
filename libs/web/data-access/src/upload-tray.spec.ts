import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TAttachment } from '@chatbox/contracts';
import { ApiError } from './api-client';
import { UploadCancelled, UploadProgress, UploadSource } from './upload-client';
import { UploadTray } from './upload-tray';

const file = (name: string, size = 10, type = 'application/pdf'): UploadSource => Object.assign(new Blob([new Uint8Array(size)], { type }), { name });

const stored = (name: string): TAttachment => ({ id: `a-${name}`, name, contentType: 'application/pdf', size: 10, url: `/files/${name}`, thumbnailUrl: null, width: null, height: null });

/** A tray whose uploads wait until the test settles them; each call is recorded. */
function harness(max?: number) {
  type Call = { file: UploadSource; progress: UploadProgress; signal: AbortSignal; resolve: (a: TAttachment) => void; reject: (e: unknown) => void };
  const calls: Call[] = [];
  const revoked: string[] = [];
  let changes = 0;
  const tray = new UploadTray({
    upload: (f, progress, signal) =>
      new Promise<TAttachment>((resolve, reject) => {
        calls.push({ file: f, progress, signal, resolve, reject });
        signal.addEventListener('abort', () => reject(new UploadCancelled()));
      }),
    preview: { create: (f) => `blob:${f.name}`, revoke: (url) => void revoked.push(url) },
    max,
  });
  tray.subscribe(() => changes++);
  const settle = () => new Promise((r) => setImmediate(r));
  return { tray, calls, revoked, changes: () => changes, settle };
}

describe('UploadTray', () => {
  test('each file uploads at once and reports its progress; done ones are handed to the send in order', async () => {
    const { tray, calls, settle } = harness();
    tray.add([file('a.pdf'), file('b.pdf')]);
    assert.equal(calls.length, 2);
    assert.deepEqual(tray.items().map((i) => [i.name, i.status, i.sent]), [['a.pdf', 'uploading', 0], ['b.pdf', 'uploading', 0]]);
    calls[0].progress(4, 10);
    assert.equal(tray.items()[0].sent, 4);
    assert.equal(tray.busy(), true);
    calls[1].resolve(stored('b.pdf'));
    calls[0].resolve(stored('a.pdf'));
    await settle();
    assert.equal(tray.busy(), false);
    assert.deepEqual(tray.take().map((a) => a.id), ['a-a.pdf', 'a-b.pdf']);
    assert.deepEqual(tray.items(), []);
  });

  test('cancel aborts the request and removes the file; its late answer changes nothing', async () => {
    const { tray, calls, settle } = harness();
    tray.add([file('big.bin')]);
    const key = tray.items()[0].key;
    tray.remove(key);
    assert.equal(calls[0].signal.aborted, true);
    assert.deepEqual(tray.items(), []);
    calls[0].resolve(stored('big.bin'));
    await settle();
    assert.deepEqual(tray.ready(), []);
  });

  test('a refused file shows its own error (413 names the limit); the others go on, and Retry uploads it again', async () => {
    const { tray, calls, settle } = harness();
    tray.add([file('huge.zip'), file('ok.pdf')]);
    calls[0].reject(new ApiError(413, 'payload_too_large', 'The file is larger than the 25 MB limit'));
    calls[1].reject(new ApiError(0, 'network', 'Cannot reach the server'));
    await settle();
    assert.deepEqual(tray.items().map((i) => [i.status, i.error]), [
      ['failed', 'Too large: the file is larger than the 25 MB limit.'],
      ['failed', 'Upload failed: no connection.'],
    ]);
    assert.deepEqual(tray.items().map((i) => i.retryable), [false, true], 'too large stays too large; a lost connection may come back');
    tray.retry(tray.items()[0].key);
    assert.equal(calls.length, 2);
    tray.retry(tray.items()[1].key);
    assert.equal(calls.length, 3);
    assert.equal(calls[2].file.name, 'ok.pdf');
    calls[2].resolve(stored('ok.pdf'));
    await settle();
    assert.deepEqual(tray.take().map((a) => a.name), ['ok.pdf']);
    assert.deepEqual(tray.items().map((i) => i.name), ['huge.zip'], 'the failed file stays, with its error, until removed');
  });

  test('at most 10 files per message: the rest are refused with a sentence saying so', () => {
    const { tray, calls } = harness();
    assert.equal(tray.add(Array.from({ length: 8 }, (_, i) => file(`f${i}`))), null);
    assert.equal(tray.add([file('x'), file('y'), file('z')]), 'A message takes at most 10 files; 1 file was not added.');
    assert.equal(tray.items().length, 10);
    assert.equal(calls.length, 10);
    assert.match(tray.add([file('p'), file('q')]) ?? '', /2 files were not added/);
  });

  test('images get a local preview, released when they leave the tray; other files none', async () => {
    const { tray, calls, revoked, settle } = harness();
    tray.add([file('shot.png', 10, 'image/png'), file('notes.txt', 10, 'text/plain')]);
    assert.deepEqual(tray.items().map((i) => i.previewUrl), ['blob:shot.png', null]);
    calls[0].resolve(stored('shot.png'));
    await settle();
    tray.take();
    assert.deepEqual(revoked, ['blob:shot.png']);
    tray.clear();
    assert.equal(calls[1].signal.aborted, true, 'clear cancels what still uploads');
  });
});
