import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startS3Server } from './s3-server';

/**
 * The FileStore kinds every store-touching spec runs against, once each (the attachment specs
 * iterate over this list). Add a kind here with its case in startTestFileStore.
 */
export const TEST_FILE_STORES = ['local', 's3'] as const;
export type TestFileStoreKind = (typeof TEST_FILE_STORES)[number];

/** A fresh, empty store for one spec, and the environment that points an api and worker at it. */
export type TestFileStore = {
  kind: TestFileStoreKind;
  env: Record<string, string>;
  /** Every key the store holds now (to check that nothing was left behind). */
  keys: () => Promise<string[]>;
  close: () => Promise<void>;
};

export async function startTestFileStore(kind: TestFileStoreKind): Promise<TestFileStore> {
  switch (kind) {
    case 'local': {
      // under the test run's STORAGE_DIR (a temporary folder the runner removes) when there is one
      const dir = await mkdtemp(join(process.env.STORAGE_DIR ?? tmpdir(), 'store-'));
      return {
        kind,
        // S3_BUCKET empty (unset): a store spec run before this one may have pointed at S3
        env: { STORAGE_DIR: dir, S3_BUCKET: '' },
        keys: async () =>
          (await readdir(dir, { recursive: true, withFileTypes: true }))
            .filter((e) => e.isFile())
            .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
            .sort(),
        close: () => rm(dir, { recursive: true, force: true }),
      };
    }
    case 's3': {
      // a real S3-compatible server (s3rver) of this spec's own, over HTTP: S3FileStore end to end
      const server = await startS3Server();
      return { kind, env: server.env, keys: server.listKeys, close: server.stop };
    }
  }
}
