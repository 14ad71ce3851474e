import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@chatbox/server-config';
import { FILE_STORE, type FileStore } from './file-store.port';
import { LocalFileStore } from './local-file-store';

/** The configured store: S3-compatible when S3_BUCKET is set, else the local disk (STORAGE_DIR). */
export function createFileStore(config: AppConfig): FileStore {
  if (config.storage.s3) throw new Error('S3 storage is being built (issue 17): unset S3_BUCKET');
  return new LocalFileStore(config.storage.dir);
}

@Global()
@Module({
  providers: [{ provide: FILE_STORE, inject: [APP_CONFIG], useFactory: createFileStore }],
  exports: [FILE_STORE],
})
export class StorageModule {}
