export * from './api-client';
export * from './socket-client';
export * from './chat-store';
export * from './draft-store';
export * from './message-actions';
export { namesLine, seenBy } from './receipts';
export { typingLine, typingNow } from './typing';
export { topLevel } from './reply-threads';
export * from './desktop-notifications';
