export * from './avatar';
export * from './presence-dot';
export * from './unread-badge';
export * from './dialog';
export * from './icon';
