export * from './app-error';
export * from './validate';
export * from './cursor';
export * from './rate-limited.error';
