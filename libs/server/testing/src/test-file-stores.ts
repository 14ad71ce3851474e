import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The FileStore kinds every store-touching spec runs against, once each (the attachment specs
 * iterate over this list). Add a kind here with its case in startTestFileStore.
 */
export const TEST_FILE_STORES = ['local'] as const;
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
        env: { STORAGE_DIR: dir },
        keys: async () =>
          (await readdir(dir, { recursive: true, withFileTypes: true }))
            .filter((e) => e.isFile())
            .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
            .sort(),
        close: () => rm(dir, { recursive: true, force: true }),
      };
    }
  }
}
