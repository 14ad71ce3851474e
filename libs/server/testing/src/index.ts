export * from './test-app';
export * from './api-client';
