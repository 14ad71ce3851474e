export * from './chat-app';
export * from './auth-form';
