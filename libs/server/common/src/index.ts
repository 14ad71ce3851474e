export * from './app-error';
export * from './validate';
export * from './cursor';
export * from './database-unavailable';
