import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describeFileStore } from './file-store.conformance';
import { LocalFileStore } from './local-file-store';

describeFileStore('LocalFileStore (a temporary directory)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'chatbox-store-'));
  return {
    store: new LocalFileStore(dir),
    storedNames: async () =>
      (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))),
    close: () => rm(dir, { recursive: true, force: true }),
  };
});
