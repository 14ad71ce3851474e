import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { startS3Server, type S3Server } from '@chatbox/server-testing';
import { describeFileStore } from './file-store.conformance';
import { S3FileStore, type S3FileStoreOptions } from './s3-file-store';

const MB = 1024 * 1024;
const storeOn = (server: S3Server, options: Partial<S3FileStoreOptions> = {}) =>
  new S3FileStore({ ...server, forcePathStyle: true, ...options });

/** The names of the commands a store sends, in order. */
function recordCommands(store: S3FileStore): string[] {
  const names: string[] = [];
  store.client.middlewareStack.add(
    (next, context) => (args) => {
      names.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  return names;
}

describeFileStore('S3FileStore (s3rver, a real S3-compatible server over HTTP)', async () => {
  const server = await startS3Server();
  const store = storeOn(server);
  return {
    store,
    storedNames: server.listKeys,
    close: async () => {
      store.destroy();
      await server.stop();
    },
  };
});

test('S3FileStore deletes any number of keys, in DeleteObjects requests of at most 1000 keys', async () => {
  const server = await startS3Server();
  const store = storeOn(server);
  try {
    const kept = ['many/0', 'many/1500', 'many/2499'];
    for (const key of [...kept, 'other']) await store.put(key, Readable.from([Buffer.from(key)]), 'text/plain');
    const sizes: number[] = [];
    store.client.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'DeleteObjectsCommand') {
          sizes.push((args.input as { Delete: { Objects: unknown[] } }).Delete.Objects.length);
        }
        return next(args);
      },
      { step: 'initialize', name: 'countDeleteBatches' },
    );
    await store.delete(Array.from({ length: 2500 }, (_, i) => `many/${i}`));
    assert.deepEqual(sizes, [1000, 1000, 500]);
    assert.deepEqual(await server.listKeys(), ['other']);
  } finally {
    store.destroy();
    await server.stop();
  }
});

test('S3FileStore: a bucket that does not exist is an error, not a missing file', async () => {
  const server = await startS3Server();
  const spoolDir = await mkdtemp(join(tmpdir(), 'chatbox-spool-'));
  const store = storeOn(server, { bucket: 'no-such-bucket', spoolDir });
  try {
    await assert.rejects(store.open('any/key'), /bucket/i);
    await assert.rejects(store.put('any/key', Readable.from([Buffer.from('bytes')]), 'text/plain'), /bucket/i);
    assert.deepEqual(await readdir(spoolDir), [], 'the spooled body is removed');
  } finally {
    store.destroy();
    await server.stop();
    await rm(spoolDir, { recursive: true, force: true });
  }
});

test('S3FileStore: one PutObject with the length known up to singlePutMaxBytes, a multipart upload beyond', async () => {
  const server = await startS3Server();
  const store = storeOn(server, { singlePutMaxBytes: 6 * MB, partSize: 5 * MB });
  const commands = recordCommands(store);
  try {
    const small = Buffer.alloc(6 * MB, 1);
    assert.deepEqual(await store.put('sizes/small', Readable.from([small]), 'application/octet-stream'), { size: small.length });
    assert.deepEqual(commands, ['PutObjectCommand']);
    commands.length = 0;

    const large = Buffer.concat([Buffer.alloc(7 * MB, 2), Buffer.alloc(5 * MB, 3)]);
    assert.deepEqual(await store.put('sizes/large', Readable.from([large.subarray(0, MB), large.subarray(MB)]), 'application/octet-stream'), { size: large.length });
    assert.deepEqual(commands, ['CreateMultipartUploadCommand', 'UploadPartCommand', 'UploadPartCommand', 'UploadPartCommand', 'CompleteMultipartUploadCommand']);
    const readBack = createHash('sha256');
    for await (const chunk of (await store.open('sizes/large'))!.body) readBack.update(chunk as Buffer);
    assert.equal(readBack.digest('hex'), createHash('sha256').update(large).digest('hex'));
    assert.deepEqual(await server.listKeys(), ['sizes/large', 'sizes/small']);
  } finally {
    store.destroy();
    await server.stop();
  }
});
