export * from './file-store.port';
export * from './file-store-key';
export * from './local-file-store';
export * from './s3-file-store';
export * from './storage.module';
