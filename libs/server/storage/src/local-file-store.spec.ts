import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { LocalFileStore } from './local-file-store';

async function withStore(run: (store: LocalFileStore, dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'chatbox-store-'));
  try {
    await run(new LocalFileStore(dir), dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('a stored file reads back whole and by range, and is gone once deleted', () =>
  withStore(async (store) => {
    assert.deepEqual(await store.put('a/b/file.txt', Readable.from([Buffer.from('hello '), Buffer.from('world')]), 'text/plain'), { size: 11 });
    const whole = await store.open('a/b/file.txt');
    assert.equal(whole?.size, 11);
    assert.equal(await text(whole!.body), 'hello world');
    const part = await store.open('a/b/file.txt', { start: 6, end: 10 });
    assert.equal(part?.size, 11);
    assert.equal(await text(part!.body), 'world');
    await store.delete(['a/b/file.txt', 'never/was']);
    assert.equal(await store.open('a/b/file.txt'), null);
  }));

test('a body that fails leaves nothing behind', () =>
  withStore(async (store, dir) => {
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('client went away'));
      },
    });
    await assert.rejects(store.put('x/file', failing, 'application/octet-stream'), /client went away/);
    assert.equal(await store.open('x/file'), null);
    assert.deepEqual(await readdir(join(dir, 'x')), []);
  }));

test('keys cannot leave the store directory', () =>
  withStore(async (store) => {
    for (const key of ['../escape', 'a/../../b', '/abs', 'a//b', 'a\\b']) {
      await assert.rejects(store.open(key), /invalid file store key/, key);
    }
  }));
