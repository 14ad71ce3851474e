export * from './presence.store';
export * from './presence.module';
