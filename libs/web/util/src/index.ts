export * from './message-merge';
export * from './links';
export * from './message-layout';
export * from './conversation-state';
export * from './send-retry';
export * from './bidi';
export * from './change-feed';
export * from './markdown';
