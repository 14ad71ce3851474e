import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { startS3Server, type S3Server } from '@chatbox/server-testing';
import { describeFileStore } from './file-store.conformance';
import { S3FileStore } from './s3-file-store';

const storeOn = (server: S3Server, bucket = server.bucket) =>
  new S3FileStore({ ...server, bucket, forcePathStyle: true });

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
  const store = storeOn(server, 'no-such-bucket');
  try {
    await assert.rejects(store.open('any/key'), /bucket/i);
  } finally {
    store.destroy();
    await server.stop();
  }
});
