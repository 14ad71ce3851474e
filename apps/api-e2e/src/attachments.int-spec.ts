import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { AUTH_COOKIE, EXPORT_FILES, LIMITS, TAttachment, TMessage } from '@chatbox/contracts';
import { loadConfig } from '@chatbox/server-config';
import { attachmentKeys } from '@chatbox/server-chat';
import { AttachmentCleanup } from '@chatbox/server-jobs';
import { createFileStore, FileStore } from '@chatbox/server-storage';
import { startTestFileStore, TEST_FILE_STORES, TestApp, TestFileStore, unzip } from '@chatbox/server-testing';
import { createTestApp } from '@chatbox/server-testing';
import { ApiModule } from '../../api/src/app.module';
import { startStack, Stack } from './support/stack';
import { createGroup, people, Person } from './support/chat-fixtures';

/** The upload limit of these specs: small, so a file over it is quick to send. */
const MAX_BYTES = 1024 * 1024;

/** API.md "Attachments" (issue 17 items 1 and 3), on every kind of FileStore. */
for (const kind of TEST_FILE_STORES) {
  describe(`attachments (${kind} store)`, () => {
    let files: TestFileStore;
    let stack: Stack;
    let t: TestApp;
    /** The store the api writes to, as the api builds it: to look at the bytes behind its back. */
    let store: FileStore;

    before(async () => {
      files = await startTestFileStore(kind);
      Object.assign(process.env, files.env, { UPLOAD_MAX_BYTES: String(MAX_BYTES) });
      stack = await startStack();
      t = stack.t;
      store = createFileStore(loadConfig(process.env));
    });
    after(async () => {
      await stack.close();
      await files.close();
      // the next describe must not reach this store (an s3rver is gone once closed)
      for (const name of Object.keys(files.env)) delete process.env[name];
    });

    const upload = async (who: Person | undefined, bytes: Buffer, name: string, claimedType = 'application/octet-stream') => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)], { type: claimedType }), name);
      const res = await fetch(`${t.baseUrl}/api/uploads`, { method: 'POST', body: form, headers: who ? { authorization: `Bearer ${who.token}` } : {} });
      return { status: res.status, body: (await res.json()) as TAttachment & { error?: { message: string; fields?: Record<string, string> } } };
    };
    const uploaded = async (who: Person, bytes: Buffer, name: string, claimedType?: string): Promise<TAttachment> => {
      const res = await upload(who, bytes, name, claimedType);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body;
    };
    const download = async (path: string, who: Person | undefined, headers: Record<string, string> = {}) => {
      const res = await fetch(`${t.baseUrl}${path}`, { headers: { ...headers, ...(who ? { authorization: `Bearer ${who.token}` } : {}) } });
      return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
    };
    const send = (conversationId: string, who: Person, body: string, attachmentIds?: string[], clientMsgId = `c-${randomUUID()}`) =>
      t.client.post(`/conversations/${conversationId}/messages`, { clientMsgId, body, attachmentIds }, who.token);
    const png = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#c03020' } }).png().toBuffer();
    const rowsOf = (uploaderId: string) => t.prisma.attachment.count({ where: { uploaderId } });

    test('a PNG named .txt is an image: sniffed type, dimensions and a thumbnail', async () => {
      const [ann] = await people(t, 1);
      const bytes = await png(640, 480);
      const a = await uploaded(ann, bytes, 'notes.txt', 'text/plain');
      assert.equal(a.contentType, 'image/png');
      assert.equal(a.name, 'notes.txt');
      assert.deepEqual([a.width, a.height], [640, 480]);
      assert.equal(a.url, `/api/attachments/${a.id}/file/notes.txt`);
      assert.equal(a.thumbnailUrl, `/api/attachments/${a.id}/thumbnail`);

      const original = await download(a.url, ann);
      assert.equal(original.status, 200);
      assert.equal(original.headers.get('content-type'), 'image/png');
      assert.equal(Number(original.headers.get('content-length')), original.bytes.length);
      assert.equal(original.bytes.length, a.size);
      assert.match(original.headers.get('content-disposition') ?? '', /^inline; filename="notes.txt"/);
      assert.deepEqual((await sharp(original.bytes).metadata()).width, 640);

      const thumbnail = await download(a.thumbnailUrl ?? '', ann);
      assert.equal(thumbnail.status, 200);
      assert.equal(thumbnail.headers.get('content-type'), 'image/webp');
      const meta = await sharp(thumbnail.bytes).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 320, 240]);
    });

    test('an HTML file named .png is text, served as a download that cannot run', async () => {
      const [ann] = await people(t, 1);
      const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
      const a = await uploaded(ann, html, 'cat.png', 'image/png');
      assert.equal(a.contentType, 'text/plain');
      assert.deepEqual([a.thumbnailUrl, a.width, a.height], [null, null, null]);
      const res = await download(a.url, ann);
      assert.equal(res.status, 200);
      assert.deepEqual(res.bytes, html);
      assert.equal(res.headers.get('content-type'), 'text/plain');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="cat.png"/);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'.*sandbox/);
      assert.equal((await download(a.thumbnailUrl ?? `/api/attachments/${a.id}/thumbnail`, ann)).status, 404);
    });

    test('file names lose their folders and control characters; a PDF shows inline, other files download', async () => {
      const [ann] = await people(t, 1);
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
      const a = await uploaded(ann, pdf, '../../secret/.Bericht  Grüße.pdf');
      assert.equal(a.name, 'Bericht Grüße.pdf');
      assert.equal(a.contentType, 'application/pdf');
      const res = await download(a.url, ann);
      assert.equal(res.headers.get('content-disposition'), `inline; filename="Bericht Gr__e.pdf"; filename*=UTF-8''Bericht%20Gr%C3%BC%C3%9Fe.pdf`);
      const zip = await uploaded(ann, Buffer.concat([Buffer.from('PK\x03\x04'), randomBytes(200)]), 'x.zip');
      assert.match((await download(zip.url, ann)).headers.get('content-disposition') ?? '', /^attachment;/);
    });

    test('EXIF and GPS metadata are gone from the stored original and the thumbnail; the image stays upright', async () => {
      const [ann] = await people(t, 1);
      // 60x40 stored sideways: orientation 6 shows it as 40x60
      const jpeg = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#2040c0' } })
        .jpeg()
        .withExif({ IFD0: { Make: 'SpyCam', Model: 'Tracker 9000' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 24/1', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 3/1' } })
        .withMetadata({ orientation: 6 })
        .toBuffer();
      const sent = await sharp(jpeg).metadata();
      assert.ok(sent.exif?.includes('SpyCam') && sent.orientation === 6, 'the test image carries EXIF');
      const a = await uploaded(ann, jpeg, 'holiday.jpg');
      assert.equal(a.contentType, 'image/jpeg');
      assert.deepEqual([a.width, a.height], [40, 60]);
      for (const path of [a.url, a.thumbnailUrl ?? '']) {
        const res = await download(path, ann);
        assert.equal(res.status, 200, path);
        const meta = await sharp(res.bytes).metadata();
        assert.equal(meta.exif, undefined, `${path}: no EXIF`);
        assert.equal(meta.xmp, undefined, `${path}: no XMP`);
        assert.ok(!res.bytes.includes('SpyCam') && !res.bytes.includes('Tracker 9000'), `${path}: no camera`);
        assert.ok(meta.orientation === undefined || meta.orientation === 1, `${path}: upright`);
        assert.ok((meta.height ?? 0) > (meta.width ?? 0), `${path}: turned as shown`);
      }
    });

    test(`over UPLOAD_MAX_BYTES: 413 naming the limit, nothing stored`, async () => {
      const [ann] = await people(t, 1);
      const before = await files.keys();
      const res = await upload(ann, randomBytes(MAX_BYTES + 200 * 1024), 'big.bin');
      assert.equal(res.status, 413);
      assert.match(res.body.error?.message ?? '', /1 MB \(1048576 bytes\)/);
      assert.equal(await rowsOf(ann.id), 0);
      assert.deepEqual(await files.keys(), before);
      // the limit itself is fine, and the connection is usable again
      assert.equal((await upload(ann, randomBytes(MAX_BYTES), 'exactly.bin')).status, 201);
    });

    test('a client that goes away mid-upload leaves nothing behind (plain file or image)', async () => {
      const [ann] = await people(t, 1);
      const before = await files.keys();
      const temporaries = async () => (await readdir(tmpdir())).filter((f) => f.startsWith('chatbox-upload-')).length;
      const temporariesBefore = await temporaries();
      for (const start of [randomBytes(64 * 1024), Buffer.concat([await png(8, 8), randomBytes(64 * 1024)])]) {
        const boundary = `b${randomUUID()}`;
        const req = request(`${t.baseUrl}/api/uploads`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ann.token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(MAX_BYTES) },
        });
        req.on('error', () => undefined);
        req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
        req.write(start);
        await sleep(300);
        req.destroy();
      }
      for (let i = 0; i < 50 && (await temporaries()) > temporariesBefore; i++) await sleep(100);
      await sleep(200);
      assert.equal(await rowsOf(ann.id), 0);
      assert.deepEqual(await files.keys(), before);
      assert.equal(await temporaries(), temporariesBefore, 'no temporary file left');
    });

    test('an upload needs a login and a multipart field named file', async () => {
      const [ann] = await people(t, 1);
      assert.equal((await upload(undefined, Buffer.from('x'), 'a.txt')).status, 401);
      const form = new FormData();
      form.append('other', new Blob([Buffer.from('x')]), 'a.txt');
      const wrongField = await fetch(`${t.baseUrl}/api/uploads`, { method: 'POST', body: form, headers: { authorization: `Bearer ${ann.token}` } });
      assert.equal(wrongField.status, 400);
      assert.match(JSON.stringify(await wrongField.json()), /"file"/);
      const json = await t.client.post('/uploads', { file: 'x' }, ann.token);
      assert.equal(json.status, 400);
      assert.equal(await rowsOf(ann.id), 0);
    });

    test('the bytes go to the uploader before sending, then to current members only (404 for anyone else)', async () => {
      const [ann, bob, carol, eve] = await people(t, 4);
      const a = await uploaded(ann, await png(32, 32), 'shared.png');
      const readable = async (who: Person) => [(await download(a.url, who)).status, (await download(a.thumbnailUrl ?? '', who)).status];
      assert.deepEqual(await readable(ann), [200, 200]);
      assert.deepEqual(await readable(bob), [404, 404], 'nobody else before it is sent');

      const group = await createGroup(t, ann, { memberIds: [bob.id, carol.id] });
      const sent = await send(group.id, ann, 'look', [a.id]);
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      assert.deepEqual(await readable(bob), [200, 200]);
      assert.deepEqual(await readable(carol), [200, 200]);
      assert.deepEqual(await readable(eve), [404, 404], 'not a member');
      assert.equal((await download(a.url, undefined)).status, 401);
      // the browser's way: the session cookie, as <img> tags send it
      assert.equal((await download(a.url, undefined, { cookie: `${AUTH_COOKIE}=${carol.token}` })).status, 200);

      assert.equal((await t.client.delete(`/groups/${group.id}/members/${carol.id}`, ann.token)).status, 204);
      assert.deepEqual(await readable(carol), [404, 404], 'removed from the group');
      assert.equal((await download(`/api/attachments/${randomUUID()}/file/x`, ann)).status, 404);
    });

    test('a message carries its attachments everywhere: send answer, history, changes; the body may be empty', async () => {
      const [ann, bob] = await people(t, 2);
      const group = await createGroup(t, ann, { memberIds: [bob.id] });
      const first = await uploaded(ann, await png(20, 10), 'one.png');
      const second = await uploaded(ann, Buffer.from('plain words'), 'two.txt');
      const sent = await send(group.id, ann, '', [second.id, first.id]);
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      assert.equal(sent.body.body, '');
      assert.deepEqual(sent.body.attachments, [second, first], 'in the order given, as uploaded');

      const history = await t.client.get(`/conversations/${group.id}/messages`, bob.token);
      assert.deepEqual(history.body.items.find((m: TMessage) => m.id === sent.body.id)?.attachments, [second, first]);
      const changes = await t.client.get(`/conversations/${group.id}/changes?after=0`, bob.token);
      assert.deepEqual(changes.body.items.find((m: TMessage) => m.id === sent.body.id)?.attachments, [second, first]);
      const plain = await send(group.id, ann, 'no files');
      assert.deepEqual(plain.body.attachments, []);

      const empty = await send(group.id, ann, '   ');
      assert.equal(empty.status, 400);
      assert.match(JSON.stringify(empty.body), /"body":"must not be empty"/);
      // a retry of the same send answers the stored message
      const retry = await send(group.id, ann, '', [second.id, first.id], sent.body.clientMsgId);
      assert.equal(retry.status, 200, JSON.stringify(retry.body));
      assert.equal(retry.body.id, sent.body.id);
    });

    test('at most 10 attachments, each an unsent upload of the sender: else 400 naming it, nothing stored', async () => {
      const [ann, bob] = await people(t, 2);
      const group = await createGroup(t, ann, { memberIds: [bob.id] });
      const ids: string[] = [];
      for (let i = 0; i < LIMITS.attachmentsPerMessageMax + 1; i++) ids.push((await uploaded(ann, Buffer.from(`file ${i}`), `f${i}.txt`)).id);
      const messages = () => t.prisma.message.count({ where: { conversationId: group.id } });
      const before = await messages();

      const eleven = await send(group.id, ann, 'too many', ids);
      assert.equal(eleven.status, 400);
      assert.match(JSON.stringify(eleven.body), /attachmentIds.*at most 10/);
      const twice = await send(group.id, ann, 'twice', [ids[0], ids[0]]);
      assert.equal(twice.status, 400);
      const bobs = await uploaded(bob, Buffer.from('bob'), 'bob.txt');
      const notMine = await send(group.id, ann, 'not mine', [ids[0], bobs.id]);
      assert.equal(notMine.status, 400);
      assert.match(notMine.body.error.fields.attachmentIds, new RegExp(`${bobs.id} is not an upload of yours`));
      const unknown = await send(group.id, ann, 'unknown', [randomUUID()]);
      assert.equal(unknown.status, 400);
      assert.equal(await messages(), before, 'nothing stored');
      assert.equal(await t.prisma.attachment.count({ where: { id: { in: [...ids, bobs.id] }, messageId: { not: null } } }), 0);

      const ten = await send(group.id, ann, 'ten', ids.slice(0, 10));
      assert.equal(ten.status, 201, JSON.stringify(ten.body));
      assert.equal(ten.body.attachments.length, 10);
      const reuse = await send(group.id, ann, 'again', [ids[9], ids[10]]);
      assert.equal(reuse.status, 400);
      assert.match(reuse.body.error.fields.attachmentIds, new RegExp(`${ids[9]} was already sent`));
      assert.equal(await t.prisma.attachment.count({ where: { id: ids[10], messageId: { not: null } } }), 0, 'the other one stays unsent');

      // two sends of one upload at once: one message gets it
      const raced = await uploaded(ann, Buffer.from('raced'), 'raced.txt');
      const results = await Promise.all([send(group.id, ann, 'race 1', [raced.id]), send(group.id, ann, 'race 2', [raced.id])]);
      assert.deepEqual(results.map((r) => r.status).sort(), [201, 400]);
    });

    test('deleting the message erases its attachments: tombstone without them, 404, bytes gone from the store', async () => {
      const [ann, bob] = await people(t, 2);
      const group = await createGroup(t, ann, { memberIds: [bob.id] });
      const image = await uploaded(ann, await png(50, 50), 'gone.png');
      const doc = await uploaded(ann, Buffer.from('to be erased'), 'gone.txt');
      const sent = await send(group.id, ann, 'soon gone', [image.id, doc.id]);
      const keys = [attachmentKeys(image.id).original, attachmentKeys(image.id).thumbnail, attachmentKeys(doc.id).original];
      for (const key of keys) assert.ok(await store.open(key), `${key} stored`);

      assert.equal((await t.client.delete(`/conversations/${group.id}/messages/${sent.body.id}`, ann.token)).status, 204);
      const [tombstone] = (await t.client.get(`/conversations/${group.id}/messages?after=${sent.body.seq - 1}&limit=1`, bob.token)).body.items as TMessage[];
      assert.ok(tombstone.deletedAt);
      assert.deepEqual(tombstone.attachments, []);
      assert.equal((await download(image.url, bob)).status, 404);
      assert.equal((await download(image.url, ann)).status, 404, 'not even for the uploader');
      for (const key of keys) assert.equal(await store.open(key), null, `${key} removed`);
      assert.equal(await t.prisma.attachment.count({ where: { id: { in: [image.id, doc.id] } } }), 0);
      assert.ok(!(await files.keys()).some((k) => k.includes(image.id) || k.includes(doc.id)));
    });

    test('range requests: 206 with Content-Range, 416 past the end; audio shows inline', async () => {
      const [ann] = await people(t, 1);
      const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt '), randomBytes(988)]);
      const a = await uploaded(ann, wav, 'sound.wav');
      assert.match(a.contentType, /^audio\//);
      const whole = await download(a.url, ann);
      assert.equal(whole.headers.get('accept-ranges'), 'bytes');
      assert.match(whole.headers.get('content-disposition') ?? '', /^inline;/);
      const part = await download(a.url, ann, { range: 'bytes=100-199' });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), `bytes 100-199/${wav.length}`);
      assert.equal(part.headers.get('content-length'), '100');
      assert.deepEqual(part.bytes, wav.subarray(100, 200));
      const tail = await download(a.url, ann, { range: 'bytes=-24' });
      assert.deepEqual([tail.status, tail.bytes], [206, wav.subarray(wav.length - 24)]);
      const past = await download(a.url, ann, { range: `bytes=${wav.length}-` });
      assert.equal(past.status, 416);
      assert.equal(past.headers.get('content-range'), `bytes */${wav.length}`);
    });

    test('the scheduled cleanup removes uploads never sent in time and bytes a delete left behind', async () => {
      const [ann, bob] = await people(t, 2);
      const group = await createGroup(t, ann, { memberIds: [bob.id] });
      const orphan = await uploaded(ann, await png(16, 16), 'never-sent.png');
      const fresh = await uploaded(ann, Buffer.from('just uploaded'), 'fresh.txt');
      const kept = await uploaded(ann, Buffer.from('sent long ago'), 'kept.txt');
      assert.equal((await send(group.id, ann, 'kept', [kept.id])).status, 201);
      const leftover = await uploaded(ann, Buffer.from('its message was deleted'), 'leftover.txt');
      // as when removing the bytes failed right after a delete: marked, bytes still there
      await t.prisma.attachment.update({ where: { id: leftover.id }, data: { deletedAt: new Date() } });
      // older than UPLOAD_ORPHAN_MAX_AGE_SECONDS (24 h: the default the worker runs with)
      const old = new Date(Date.now() - (loadConfig(process.env).storage.orphanMaxAgeSeconds + 60) * 1000);
      await t.prisma.attachment.updateMany({ where: { id: { in: [orphan.id, kept.id] } }, data: { createdAt: old } });

      const cleanup = stack.worker.get(AttachmentCleanup);
      const result = await cleanup.runNow();
      assert.ok(result.orphaned >= 1 && result.removed >= 2, JSON.stringify(result));
      for (const gone of [orphan, leftover]) {
        assert.equal(await t.prisma.attachment.count({ where: { id: gone.id } }), 0, gone.name);
        assert.equal(await store.open(attachmentKeys(gone.id).original), null, gone.name);
      }
      assert.equal(await store.open(attachmentKeys(orphan.id).thumbnail), null);
      assert.equal((await download(kept.url, bob)).status, 200, 'sent: kept, however old');
      assert.equal((await download(fresh.url, ann)).status, 200, 'unsent but young: kept');
      assert.equal((await send(group.id, ann, 'too late', [orphan.id])).status, 400);
    });

    test('the cleanup is a BullMQ job scheduler in the worker', async () => {
      const cleanup = stack.worker.get(AttachmentCleanup);
      const schedulers = await (cleanup as unknown as { queue: import('bullmq').Queue }).queue.getJobSchedulers();
      assert.ok(schedulers.some((s) => s.key === 'attachment-cleanup' && Number(s.every) > 0), JSON.stringify(schedulers));
    });

    test("the export holds the attachments of the caller's conversations, byte for byte", async () => {
      const [ann, bob, eve] = await people(t, 3);
      const group = await createGroup(t, ann, { memberIds: [bob.id] });
      const image = await uploaded(bob, await png(24, 24), 'from bob.png');
      const doc = await uploaded(ann, randomBytes(5000), 'data.bin');
      const erased = await uploaded(ann, Buffer.from('erased'), 'erased.txt');
      await send(group.id, bob, 'an image', [image.id]);
      await send(group.id, ann, 'a file', [doc.id]);
      const gone = await send(group.id, ann, 'gone', [erased.id]);
      await t.client.delete(`/conversations/${group.id}/messages/${gone.body.id}`, ann.token);
      const elsewhere = await createGroup(t, bob, { memberIds: [eve.id] });
      const hidden = await uploaded(eve, Buffer.from('not for ann'), 'hidden.txt');
      await send(elsewhere.id, eve, 'private', [hidden.id]);
      const unsent = await uploaded(ann, Buffer.from('never sent'), 'unsent.txt');

      const res = await fetch(`${t.baseUrl}/api/me/export`, { headers: { authorization: `Bearer ${ann.token}` } });
      assert.equal(res.status, 200);
      const entries = await unzip(Buffer.from(await res.arrayBuffer()));
      for (const a of [image, doc]) {
        const served = await download(a.url, ann);
        assert.deepEqual(entries.get(EXPORT_FILES.attachment(a.id, a.name)), served.bytes, a.name);
      }
      const attachmentEntries = [...entries.keys()].filter((k) => k.startsWith(EXPORT_FILES.attachments) && k !== EXPORT_FILES.attachments);
      for (const absent of [erased, hidden, unsent]) assert.ok(!attachmentEntries.some((k) => k.includes(absent.id)), absent.name);
      const conversation = JSON.parse(entries.get(EXPORT_FILES.conversation(group.id))?.toString('utf8') ?? '{}') as { messages: TMessage[] };
      assert.deepEqual(conversation.messages.find((m) => m.body === 'an image')?.attachments, [image]);
    });
  });
}

describe('attachments: the upload rate limit (RATE_LIMIT_UPLOAD_USER)', () => {
  let t: TestApp;
  before(async () => {
    process.env.RATE_LIMIT_UPLOAD_USER = '3/600';
    t = await createTestApp(ApiModule);
  });
  after(() => t.close());

  test('a user uploading faster than the limit gets 429; others go on', async () => {
    const [ann, bob] = await people(t, 2);
    const uploadAs = async (who: Person) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(randomBytes(100))]), 'x.bin');
      return (await fetch(`${t.baseUrl}/api/uploads`, { method: 'POST', body: form, headers: { authorization: `Bearer ${who.token}` } })).status;
    };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push(await uploadAs(ann));
    assert.deepEqual(statuses, [201, 201, 201, 429]);
    assert.equal(await uploadAs(bob), 201);
    assert.equal(await t.prisma.attachment.count({ where: { uploaderId: ann.id } }), 3);
  });
});
