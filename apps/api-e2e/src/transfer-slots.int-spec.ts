import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { TAttachment } from '@chatbox/contracts';
import { createTestApp, startTestFileStore, TestApp, TestFileStore } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';
import { people, Person } from './support/chat-fixtures';

/** Larger than what loopback's socket buffers take in while the client reads nothing. */
const LARGE_BYTES = 12 * 1024 * 1024;
const TUNING = { TRANSFER_CONCURRENCY: '1', TRANSFER_QUEUE_MAX: '0' };

const uploadTo = async (t: TestApp, who: Person, bytes: Buffer, name: string) => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const res = await fetch(`${t.baseUrl}/api/uploads`, { method: 'POST', body: form, headers: { authorization: `Bearer ${who.token}` } });
  return { status: res.status, body: (await res.json()) as TAttachment & { error?: { code: string } } };
};
const downloadFrom = async (t: TestApp, path: string, who: Person) => {
  const res = await fetch(`${t.baseUrl}${path}`, { headers: { authorization: `Bearer ${who.token}` } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
};

/** An api (local file store, `env` set) started before the describe's tests and closed after them; read `t` inside a test. */
function useApi(env: Record<string, string>): { readonly t: TestApp } {
  let files: TestFileStore | undefined;
  let started: TestApp | undefined;
  before(async () => {
    files = await startTestFileStore('local');
    Object.assign(process.env, files.env, env);
    started = await createTestApp(ApiModule);
  });
  after(async () => {
    await started?.close();
    await files?.close();
    for (const name of [...Object.keys(files?.env ?? {}), ...Object.keys(env)]) delete process.env[name];
  });
  return {
    get t() {
      if (!started) throw new Error('the api starts before the tests; read it inside a test');
      return started;
    },
  };
}

/** Issue 17 ("phase A unchanged while uploads run"): one api process moves few large files at once. */
describe('large transfers take turns (TRANSFER_CONCURRENCY=1, TRANSFER_QUEUE_MAX=0)', () => {
  const api = useApi(TUNING);
  const upload = (who: Person, bytes: Buffer, name: string) => uploadTo(api.t, who, bytes, name);
  const download = (path: string, who: Person) => downloadFrom(api.t, path, who);
  /** A download whose client stops reading once the headers came: its transfer stays under way. */
  const heldDownload = (path: string, who: Person) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(`${api.t.baseUrl}${path}`, { headers: { authorization: `Bearer ${who.token}` } }, (res) => {
        res.pause();
        resolve(res);
      });
      req.on('error', reject);
      req.end();
    });

  test('while one large file moves, another large one is answered 503; small ones go on', async () => {
    const [ann] = await people(api.t, 1);
    const largeBytes = randomBytes(LARGE_BYTES);
    const large = await upload(ann, largeBytes, 'large.bin');
    assert.equal(large.status, 201, JSON.stringify(large.body));
    const smallBytes = randomBytes(10_000);
    const small = await upload(ann, smallBytes, 'small.bin');
    assert.equal(small.status, 201);

    const held = await heldDownload(large.body.url, ann);
    try {
      assert.equal(held.statusCode, 200);
      const refused = await download(large.body.url, ann);
      assert.equal(refused.status, 503);
      assert.equal((JSON.parse(refused.bytes.toString()) as { error: { code: string } }).error.code, 'unavailable');
      const refusedUpload = await upload(ann, largeBytes, 'again.bin');
      assert.equal(refusedUpload.status, 503);
      assert.equal(refusedUpload.body.error?.code, 'unavailable');

      const smallDownload = await download(small.body.url, ann);
      assert.equal(smallDownload.status, 200);
      assert.deepEqual(smallDownload.bytes, smallBytes);
      assert.equal((await upload(ann, smallBytes, 'small-again.bin')).status, 201);
    } finally {
      held.destroy();
    }
  });
});

/** Issue 17: the bytes of large transfers are paced by the process's byte budget, and arrive whole. */
describe('large transfers share a byte budget (TRANSFER_BYTES_PER_SECOND=2 MB/s)', () => {
  const BYTES_PER_SECOND = 2 * 1024 * 1024;
  const FILE_BYTES = 3 * 1024 * 1024;
  /** What the budget lets through at once after an idle spell (ByteBudget's burst: 50 ms worth). */
  const BURST_BYTES = BYTES_PER_SECOND * 0.05;
  /** The least time FILE_BYTES can take at the budget, less a little for timer rounding. */
  const LEAST_MS = ((FILE_BYTES - BURST_BYTES) / BYTES_PER_SECOND) * 1000 - 50;
  const api = useApi({ TRANSFER_BYTES_PER_SECOND: String(BYTES_PER_SECOND) });

  test('a 3 MB upload and its download each take ~1.5 s at 2 MB/s, and the bytes arrive intact', async () => {
    const t = api.t;
    const [ann] = await people(t, 1);
    const bytes = randomBytes(FILE_BYTES);
    let started = performance.now();
    const up = await uploadTo(t, ann, bytes, 'paced.bin');
    const uploadMs = performance.now() - started;
    assert.equal(up.status, 201, JSON.stringify(up.body));
    assert.equal(up.body.size, FILE_BYTES);
    assert.ok(uploadMs >= LEAST_MS, `the upload took ${Math.round(uploadMs)} ms, expected at least ${LEAST_MS}`);

    started = performance.now();
    const down = await downloadFrom(t, up.body.url, ann);
    const downloadMs = performance.now() - started;
    assert.equal(down.status, 200);
    assert.ok(down.bytes.equals(bytes), 'the downloaded bytes are the uploaded ones');
    assert.ok(downloadMs >= LEAST_MS, `the download took ${Math.round(downloadMs)} ms, expected at least ${LEAST_MS}`);
  });
});
