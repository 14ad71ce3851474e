export * from './file-store.port';
export * from './local-file-store';
export * from './storage.module';
