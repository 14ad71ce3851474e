export * from './test-app';
export * from './api-client';
export * from './chat-factories';
export * from './socket-client';
export * from './error-log';
export * from './unzip';
export * from './s3-server';
export * from './test-file-stores';
