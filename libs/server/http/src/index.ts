export * from './http.module';
export * from './configure-http';
export * from './error.filter';
export * from './zod.pipe';
export * from './request-id.middleware';
export * from './graceful-shutdown';
export * from './queue-dashboard';
