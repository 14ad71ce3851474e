export * from './chat-app';
export * from './auth-form';
export * from './signed-in-redirect';
