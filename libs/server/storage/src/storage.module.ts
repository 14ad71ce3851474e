import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@chatbox/server-config';
import { FILE_STORE, type FileStore } from './file-store.port';
import { LocalFileStore } from './local-file-store';
import { S3FileStore } from './s3-file-store';

/** The configured store: S3-compatible when S3_BUCKET is set, else the local disk (STORAGE_DIR). */
export function createFileStore(config: AppConfig): FileStore {
  if (config.storage.s3) return new S3FileStore(config.storage.s3);
  return new LocalFileStore(config.storage.dir);
}

@Global()
@Module({
  providers: [{ provide: FILE_STORE, inject: [APP_CONFIG], useFactory: createFileStore }],
  exports: [FILE_STORE],
})
export class StorageModule implements OnApplicationShutdown {
  constructor(@Inject(FILE_STORE) private readonly store: FileStore) {}

  /** The S3 client's kept-alive connections would hold the process open. */
  onApplicationShutdown(): void {
    if (this.store instanceof S3FileStore) this.store.destroy();
  }
}
