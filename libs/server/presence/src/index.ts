export * from './presence.store';
export * from './presence.module';
export * from './socket-slots.store';
