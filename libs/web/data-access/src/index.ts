export * from './api-client';
export * from './socket-client';
export * from './chat-store';
export * from './draft-store';
