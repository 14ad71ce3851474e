export * from './paths';
export * from './services/ports';
export * from './services/ensure-services';
export * from './services/redis-keys';
export * from './db/databases';
export * from './db/migrate';
export * from './platform/processes';
export * from './platform/environment';
