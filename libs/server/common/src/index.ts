export * from './app-error';
export * from './validate';
export * from './cursor';
export * from './database-unavailable';
export * from './rate-limited.error';
export * from './text-key';
export * from './key-digest';
export * from './user-fields';
