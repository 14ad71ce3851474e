import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import type { TAttachment } from '@chatbox/contracts';
import { createTestApp, startTestFileStore, TestApp, TestFileStore } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';
import { people, Person } from './support/chat-fixtures';

/** Larger than what loopback's socket buffers take in while the client reads nothing. */
const LARGE_BYTES = 12 * 1024 * 1024;
const TUNING = { TRANSFER_CONCURRENCY: '1', TRANSFER_QUEUE_MAX: '0' };

/** Issue 17 ("phase A unchanged while uploads run"): one api process moves few large files at once. */
describe('large transfers take turns (TRANSFER_CONCURRENCY=1, TRANSFER_QUEUE_MAX=0)', () => {
  let files: TestFileStore;
  let t: TestApp;
  before(async () => {
    files = await startTestFileStore('local');
    Object.assign(process.env, files.env, TUNING);
    t = await createTestApp(ApiModule);
  });
  after(async () => {
    await t.close();
    await files.close();
    for (const name of [...Object.keys(files.env), ...Object.keys(TUNING)]) delete process.env[name];
  });

  const upload = async (who: Person, bytes: Buffer, name: string) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    const res = await fetch(`${t.baseUrl}/api/uploads`, { method: 'POST', body: form, headers: { authorization: `Bearer ${who.token}` } });
    return { status: res.status, body: (await res.json()) as TAttachment & { error?: { code: string } } };
  };
  const download = async (path: string, who: Person) => {
    const res = await fetch(`${t.baseUrl}${path}`, { headers: { authorization: `Bearer ${who.token}` } });
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
  };
  /** A download whose client stops reading once the headers came: its transfer stays under way. */
  const heldDownload = (path: string, who: Person) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(`${t.baseUrl}${path}`, { headers: { authorization: `Bearer ${who.token}` } }, (res) => {
        res.pause();
        resolve(res);
      });
      req.on('error', reject);
      req.end();
    });

  test('while one large file moves, another large one is answered 503; small ones go on', async () => {
    const [ann] = await people(t, 1);
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
