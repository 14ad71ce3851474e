export * from './app-error';
export * from './validate';
export * from './cursor';
