import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@chatbox/contracts';
import { ApiError } from './api-client';
import { uploadFile, UploadCancelled, UploadRequest } from './upload-client';

/** An XMLHttpRequest stand-in that records what was sent and lets the test answer. */
class FakeRequest implements UploadRequest {
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  aborted = false;
  status = 0;
  responseText = '';
  withCredentials = false;
  upload: UploadRequest['upload'] = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

const file = Object.assign(new Blob([new Uint8Array(100)], { type: 'image/png' }), { name: 'shot.png' });
const attachment = { id: 'a1', name: 'shot.png', contentType: 'image/png', size: 100, url: '/u/a1', thumbnailUrl: '/u/a1/t', width: 4, height: 3 };

describe('uploadFile', () => {
  test('posts the file as multipart field `file` with the CSRF header, reports progress and resolves the Attachment', async () => {
    const xhr = new FakeRequest();
    const progress: Array<[number, number]> = [];
    const done = uploadFile(file, { newRequest: () => xhr, onProgress: (s, t) => progress.push([s, t]) });
    assert.deepEqual([xhr.method, xhr.url, xhr.headers[CSRF_HEADER]], ['POST', '/api/uploads', CSRF_HEADER_VALUE]);
    const sent = (xhr.body as FormData).get('file') as File;
    assert.equal(sent.name, 'shot.png');
    assert.equal(sent.size, 100);
    xhr.upload.onprogress?.({ loaded: 40, total: 250, lengthComputable: true });
    xhr.answer(201, attachment);
    assert.deepEqual(await done, attachment);
    assert.deepEqual(progress, [[40, 250]]);
  });

  test('a 413 rejects with the server sentence naming the limit', async () => {
    const xhr = new FakeRequest();
    const done = uploadFile(file, { newRequest: () => xhr });
    xhr.answer(413, { error: { code: 'payload_too_large', message: 'The file is larger than the 25 MB limit' } });
    await assert.rejects(done, (err: unknown) => err instanceof ApiError && err.status === 413 && err.message === 'The file is larger than the 25 MB limit');
  });

  test('a 413 without a JSON body (a proxy said it) still says the file is too large', async () => {
    const xhr = new FakeRequest();
    const done = uploadFile(file, { newRequest: () => xhr });
    xhr.status = 413;
    xhr.responseText = '<html>Request Entity Too Large</html>';
    xhr.onload?.();
    await assert.rejects(done, (err: unknown) => err instanceof ApiError && err.code === 'payload_too_large');
  });

  test('no answer at all is a network error; aborting the signal cancels the request', async () => {
    const lost = new FakeRequest();
    const a = uploadFile(file, { newRequest: () => lost });
    lost.onerror?.();
    await assert.rejects(a, (err: unknown) => err instanceof ApiError && err.code === 'network');

    const xhr = new FakeRequest();
    const abort = new AbortController();
    const b = uploadFile(file, { newRequest: () => xhr, signal: abort.signal });
    abort.abort();
    assert.equal(xhr.aborted, true);
    await assert.rejects(b, UploadCancelled);
  });
});
